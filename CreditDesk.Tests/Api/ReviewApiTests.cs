using System.Net;
using System.Net.Http.Json;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static CreditDesk.Tests.Support.ApiFixture;

namespace CreditDesk.Tests.Api;

/// <summary>Review work through the API: claiming, releasing and the queue; notes, encrypted and locked after five minutes.</summary>
public sealed class ReviewApiTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private const string SecondOfficerKey = "cdk_test_officer_key_0002";

    public Task InitializeAsync() =>
        api.App.Services.GetRequiredService<ApiKeyStore>().EnsureAsync("test officer 2", Roles.Officer, "user-officer-2", SecondOfficerKey, CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_officer_claims_an_application_under_review_it_is_in_their_queue_another_officer_cannot_take_it_and_releasing_is_audited()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var officer = api.Client(OfficerKey);
        using var other = api.Client(SecondOfficerKey);

        using var claimed = await officer.PostAsJsonAsync($"api/v1/applications/{id}/assignment", new { assignee = "me" });
        var mine = await JsonAsync(await officer.GetAsync("api/v1/applications?assigned_to=me"));
        var unassignedBefore = await JsonAsync(await officer.GetAsync("api/v1/applications?assigned_to=none"));
        using var takeover = await other.PostAsJsonAsync($"api/v1/applications/{id}/assignment", new { assignee = "me" });
        using var releasedByOther = await other.DeleteAsync($"api/v1/applications/{id}/assignment");
        using var released = await officer.DeleteAsync($"api/v1/applications/{id}/assignment");
        var unassignedAfter = await JsonAsync(await officer.GetAsync("api/v1/applications?assigned_to=none"));

        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        Assert.Equal("user-officer", (await JsonAsync(claimed)).GetProperty("assigned_to").GetString());
        Assert.Contains(mine.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetGuid() == id && item.GetProperty("assigned_to").GetString() == "user-officer");
        Assert.DoesNotContain(unassignedBefore.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetGuid() == id);
        Assert.Equal(HttpStatusCode.Conflict, takeover.StatusCode);
        Assert.EndsWith("/already_assigned", (await JsonAsync(takeover)).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, releasedByOther.StatusCode);
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Contains(unassignedAfter.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetGuid() == id);
        Assert.Equal("claimed:user-officer|released:", await api.Database.ScalarAsync<string>(
            $"SELECT string_agg(action || ':' || COALESCE(assignee, ''), '|' ORDER BY id) FROM application_assignments WHERE application_id = '{id}'"));
    }

    [Fact]
    public async Task Only_applications_under_review_are_claimed()
    {
        var id = await api.ApplicationInStatusAsync("APPROVED");
        using var officer = api.Client(OfficerKey);

        using var response = await officer.PostAsJsonAsync($"api/v1/applications/{id}/assignment", new { assignee = "me" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.EndsWith("/not_under_review", (await JsonAsync(response)).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Null(await api.Database.ScalarAsync<string?>($"SELECT assigned_to FROM credit_applications WHERE id = '{id}'"));
    }

    [Fact]
    public async Task An_officer_cannot_assign_someone_else_and_an_admin_cannot_assign_someone_who_is_not_staff()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var officer = api.Client(OfficerKey);
        using var admin = api.Client(AdminKey);

        using var byOfficer = await officer.PostAsJsonAsync($"api/v1/applications/{id}/assignment", new { assignee = "user-officer-2" });
        using var toNobody = await admin.PostAsJsonAsync($"api/v1/applications/{id}/assignment", new { assignee = "no-such-user" });

        Assert.Equal(HttpStatusCode.Forbidden, byOfficer.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, toNobody.StatusCode);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM application_assignments WHERE application_id = '{id}'"));
    }

    [Fact]
    public async Task Applicants_reach_neither_assignments_nor_notes_nor_the_queue()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var applicant = api.Client(ApplicantKey);

        var answers = new[]
        {
            (await applicant.PostAsJsonAsync($"api/v1/applications/{id}/assignment", new { assignee = "me" })).StatusCode,
            (await applicant.GetAsync($"api/v1/applications/{id}/notes")).StatusCode,
            (await applicant.PostAsJsonAsync($"api/v1/applications/{id}/notes", new { text = "let me in" })).StatusCode,
            (await applicant.GetAsync("api/v1/applications?assigned_to=me")).StatusCode,
        };
        var own = await JsonAsync(await applicant.GetAsync($"api/v1/applications/{id}"));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Forbidden, status));
        Assert.False(own.TryGetProperty("assigned_to", out _));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM application_notes WHERE application_id = '{id}'"));
    }

    [Fact]
    public async Task A_note_is_stored_encrypted_read_back_by_staff_and_changed_only_by_its_author()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var officer = api.Client(OfficerKey);
        using var other = api.Client(SecondOfficerKey);
        const string Text = "Called Sr. Notetaker Plaintext at +34 600 000 000: payslip on its way";

        using var created = await officer.PostAsJsonAsync($"api/v1/applications/{id}/notes", new { text = Text });
        var note = await JsonAsync(created);
        var noteId = note.GetProperty("id").GetGuid();
        using var editedByOther = await other.PatchAsJsonAsync($"api/v1/applications/{id}/notes/{noteId}", new { text = "rewritten" });
        using var edited = await officer.PatchAsJsonAsync($"api/v1/applications/{id}/notes/{noteId}", new { text = Text + " (received)" });
        var notes = await JsonAsync(await other.GetAsync($"api/v1/applications/{id}/notes"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("user-officer", note.GetProperty("author_id").GetString());
        Assert.Equal(HttpStatusCode.Conflict, editedByOther.StatusCode);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var only = Assert.Single(notes.EnumerateArray());
        Assert.Equal(Text + " (received)", only.GetProperty("text").GetString());
        Assert.NotNull(only.GetProperty("edited_at").GetString());
        var stored = await api.Database.ScalarAsync<string>($"SELECT encode(text_cipher, 'escape') FROM application_notes WHERE id = '{noteId}'");
        Assert.DoesNotContain("Notetaker", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("payslip", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_note_older_than_five_minutes_cannot_be_changed()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var officer = api.Client(OfficerKey);
        var noteId = (await JsonAsync(await officer.PostAsJsonAsync($"api/v1/applications/{id}/notes", new { text = "first look: fine" }))).GetProperty("id").GetGuid();
        await api.Database.ExecuteAsync($"UPDATE application_notes SET created_at = created_at - interval '5 minutes 1 second' WHERE id = '{noteId}'");

        using var response = await officer.PatchAsJsonAsync($"api/v1/applications/{id}/notes/{noteId}", new { text = "second thoughts" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.EndsWith("/note_locked", (await JsonAsync(response)).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal("first look: fine", (await JsonAsync(await officer.GetAsync($"api/v1/applications/{id}/notes")))[0].GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task An_empty_note_is_a_field_error_and_a_note_over_4000_characters_too(string? text)
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var officer = api.Client(OfficerKey);

        using var empty = await officer.PostAsJsonAsync($"api/v1/applications/{id}/notes", new { text });
        using var tooLong = await officer.PostAsJsonAsync($"api/v1/applications/{id}/notes", new { text = new string('n', 4001) });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM application_notes WHERE application_id = '{id}'"));
    }
}
