using System.Net;
using System.Net.Http.Json;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static CreditDesk.Tests.Support.ApiFixture;

namespace CreditDesk.Tests.Api;

/// <summary>
/// Four-eyes decisions through the API. The fixture's Colombian applications ask COP 5 000 000; the limit here is set to
/// COP 1 000 000 so they are above it (the default is COP 200 000 000).
/// </summary>
public sealed class FourEyesApiTests(FourEyesApiTests.Fixture api) : IClassFixture<FourEyesApiTests.Fixture>
{
    public sealed class Fixture : ApiFixture
    {
        public const string SecondAdminKey = "cdk_test_admin_key_0002";

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Approvals:FourEyesAbove:COP"] = "1000000" };

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await App.Services.GetRequiredService<ApiKeyStore>().EnsureAsync("test admin 2", Roles.Admin, "user-admin-2", SecondAdminKey, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Above_the_limit_an_admin_cannot_approve_alone_and_nothing_changes()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var admin = api.Client(AdminKey);

        using var response = await admin.PatchAsJsonAsync($"api/v1/applications/{id}/status", new { status = "APPROVED", reason = "looks fine" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.EndsWith("/four_eyes_required", (await JsonAsync(response)).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal("UNDER_REVIEW", await api.Database.StatusAsync(id));
    }

    [Fact]
    public async Task An_officer_proposes_a_different_admin_confirms_and_the_audit_names_both()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var officer = api.Client(OfficerKey);
        using var admin = api.Client(Fixture.SecondAdminKey);

        using var proposed = await officer.PostAsJsonAsync($"api/v1/applications/{id}/proposals", new { status = "APPROVED", reason = "Payslips verified" });
        var proposalId = (await JsonAsync(proposed)).GetProperty("id").GetGuid();
        var statusWhileProposed = await api.Database.StatusAsync(id);
        using var confirmed = await admin.PostAsync($"api/v1/applications/{id}/proposals/{proposalId}/confirm", null);
        var audit = await JsonAsync(await admin.GetAsync($"api/v1/applications/{id}/audit"));

        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        Assert.Equal("UNDER_REVIEW", statusWhileProposed);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("confirmed", (await JsonAsync(confirmed)).GetProperty("state").GetString());
        Assert.Equal("APPROVED", await api.Database.StatusAsync(id));
        var last = audit.EnumerateArray().Last();
        Assert.Equal("APPROVED", last.GetProperty("to_status").GetString());
        Assert.Equal("user-admin-2", last.GetProperty("actor_id").GetString());
        Assert.Equal("user-officer", last.GetProperty("proposed_by").GetString());
        Assert.Equal("Payslips verified", last.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task The_proposer_can_never_confirm_their_own_proposal()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var admin = api.Client(AdminKey);

        using var proposed = await admin.PostAsJsonAsync($"api/v1/applications/{id}/proposals", new { status = "REJECTED", reason = "Debt too high" });
        var proposalId = (await JsonAsync(proposed)).GetProperty("id").GetGuid();
        using var own = await admin.PostAsync($"api/v1/applications/{id}/proposals/{proposalId}/confirm", null);

        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.EndsWith("/own_proposal", (await JsonAsync(own)).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal("UNDER_REVIEW", await api.Database.StatusAsync(id));
        Assert.Equal("pending", await api.Database.ScalarAsync<string>($"SELECT state FROM decision_proposals WHERE id = '{proposalId}'"));
    }

    [Fact]
    public async Task A_declined_proposal_moves_nothing_and_a_second_proposal_waits_for_the_first()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var officer = api.Client(OfficerKey);
        using var admin = api.Client(AdminKey);

        var proposalId = (await JsonAsync(await officer.PostAsJsonAsync($"api/v1/applications/{id}/proposals", new { status = "APPROVED", reason = "ok" })))
            .GetProperty("id").GetGuid();
        using var second = await admin.PostAsJsonAsync($"api/v1/applications/{id}/proposals", new { status = "REJECTED", reason = "no" });
        using var declineWithoutReason = await admin.PostAsJsonAsync($"api/v1/applications/{id}/proposals/{proposalId}/decline", new { reason = "" });
        using var declined = await admin.PostAsJsonAsync($"api/v1/applications/{id}/proposals/{proposalId}/decline", new { reason = "Income not verified" });
        using var confirmAfter = await admin.PostAsync($"api/v1/applications/{id}/proposals/{proposalId}/confirm", null);
        using var declineAgain = await admin.PostAsJsonAsync($"api/v1/applications/{id}/proposals/{proposalId}/decline", new { reason = "Twice" });
        var listed = await JsonAsync(await officer.GetAsync($"api/v1/applications/{id}/proposals"));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, declineWithoutReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, confirmAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, declineAgain.StatusCode);
        var only = Assert.Single(listed.EnumerateArray());
        Assert.Equal(proposalId, only.GetProperty("id").GetGuid());
        Assert.Equal("declined", only.GetProperty("state").GetString());
        Assert.Equal("UNDER_REVIEW", await api.Database.StatusAsync(id));
    }

    [Fact]
    public async Task A_proposal_made_before_the_application_moved_is_superseded_when_confirmed()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var officer = api.Client(OfficerKey);
        using var admin = api.Client(AdminKey);
        var proposalId = (await JsonAsync(await officer.PostAsJsonAsync($"api/v1/applications/{id}/proposals", new { status = "APPROVED", reason = "ok" })))
            .GetProperty("id").GetGuid();
        // Someone else decided it meanwhile (an automatic re-decision, another admin below the limit...).
        await api.Database.ExecuteAsync($"UPDATE credit_applications SET status = 'REJECTED' WHERE id = '{id}'");

        using var confirmed = await admin.PostAsync($"api/v1/applications/{id}/proposals/{proposalId}/confirm", null);

        Assert.Equal(HttpStatusCode.Conflict, confirmed.StatusCode);
        Assert.Equal("REJECTED", await api.Database.StatusAsync(id));
        Assert.Equal("superseded", await api.Database.ScalarAsync<string>($"SELECT state FROM decision_proposals WHERE id = '{proposalId}'"));
    }

    [Fact]
    public async Task Applicants_cannot_propose_and_officers_cannot_confirm()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var applicant = api.Client(ApplicantKey);
        using var officer = api.Client(OfficerKey);
        using var admin = api.Client(AdminKey);
        var proposalId = (await JsonAsync(await admin.PostAsJsonAsync($"api/v1/applications/{id}/proposals", new { status = "APPROVED", reason = "ok" })))
            .GetProperty("id").GetGuid();

        using var byApplicant = await applicant.PostAsJsonAsync($"api/v1/applications/{id}/proposals", new { status = "APPROVED", reason = "please" });
        using var byOfficer = await officer.PostAsync($"api/v1/applications/{id}/proposals/{proposalId}/confirm", null);

        Assert.Equal(HttpStatusCode.Forbidden, byApplicant.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byOfficer.StatusCode);
        Assert.Equal("UNDER_REVIEW", await api.Database.StatusAsync(id));
    }
}

/// <summary>Below the limit nothing changes: an admin decides alone, as before.</summary>
public sealed class BelowFourEyesLimitTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Below_the_limit_an_admin_approves_alone()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var admin = api.Client(AdminKey);

        using var response = await admin.PatchAsJsonAsync($"api/v1/applications/{id}/status", new { status = "APPROVED", reason = "Within my authority" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("APPROVED", await api.Database.StatusAsync(id));
    }
}
