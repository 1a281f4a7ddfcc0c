using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Webhooks;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static CreditDesk.Tests.Support.ApiFixture;

namespace CreditDesk.Tests.Api;

/// <summary>
/// Bank partners from the outside: admins register banks and their keys through the API; a bank's webhook names its key,
/// and a bank acts only on the applications disbursed through it.
/// </summary>
public sealed class BankPartnersTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task An_admin_registers_a_bank_whose_first_key_is_shown_once_and_whose_contact_and_secret_are_stored_encrypted()
    {
        using var admin = api.Client(AdminKey);

        using var created = await admin.PostAsJsonAsync("api/v1/banks", new { name = "Banco Andino", country = "co", contact = "Lucía Pérez <lucia@andino.test>" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var bank = await JsonAsync(created);
        var id = bank.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/banks/{id}", created.Headers.Location?.ToString());
        Assert.Equal("CO", bank.GetProperty("country").GetString());
        Assert.True(bank.GetProperty("active").GetBoolean());
        var keyId = bank.GetProperty("new_key").GetProperty("key_id").GetString()!;
        var secret = bank.GetProperty("new_key").GetProperty("secret").GetString()!;
        Assert.StartsWith("bk_", keyId, StringComparison.Ordinal);
        Assert.StartsWith("bksec_", secret, StringComparison.Ordinal);
        var key = Assert.Single(bank.GetProperty("keys").EnumerateArray());
        Assert.Equal(keyId, key.GetProperty("key_id").GetString());
        Assert.True(key.GetProperty("works").GetBoolean());

        var read = await admin.GetFromJsonAsync<JsonElement>($"api/v1/banks/{id}");
        Assert.False(read.TryGetProperty("new_key", out _));
        Assert.Equal("Lucía Pérez <lucia@andino.test>", read.GetProperty("contact").GetString());
        Assert.Contains((await admin.GetFromJsonAsync<JsonElement>("api/v1/banks")).EnumerateArray(), b => b.GetProperty("id").GetGuid() == id);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM banks WHERE position(convert_to('lucia@andino', 'UTF8') in contact_cipher) > 0"));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM bank_keys WHERE position(convert_to('{secret}', 'UTF8') in secret_cipher) > 0"));

        // The key works at once, for an application given to the bank.
        var application = await api.ApplicationInStatusAsync("APPROVED");
        using var assigned = await admin.PutAsJsonAsync($"api/v1/applications/{application}/bank", new { bank_id = id });
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        using var confirmed = await SendAsync(Event(application), keyId, secret);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("DISBURSED", await api.Database.StatusAsync(application));
    }

    [Fact]
    public async Task Registration_refuses_a_missing_name_an_unknown_country_and_a_name_taken_in_that_country_and_is_for_admins_only()
    {
        using var admin = api.Client(AdminKey);
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM banks");

        using var noName = await admin.PostAsJsonAsync("api/v1/banks", new { name = " ", country = "ES" });
        using var badCountry = await admin.PostAsJsonAsync("api/v1/banks", new { name = "Banco Lejano", country = "FR" });
        using var taken = await admin.PostAsJsonAsync("api/v1/banks", new { name = "TEST BANK co", country = "CO" });
        using var longContact = await admin.PostAsJsonAsync("api/v1/banks", new { name = "Banco Largo", country = "ES", contact = new string('c', 201) });
        using var officer = await api.Client(OfficerKey).PostAsJsonAsync("api/v1/banks", new { name = "Banco Oficial", country = "ES" });
        using var applicant = await api.Client(ApplicantKey).GetAsync("api/v1/banks");
        using var anonymous = await api.Client().GetAsync("api/v1/banks");

        Assert.Equal("name", Assert.Single(await ErrorFieldsAsync(noName)));
        Assert.Equal("country", Assert.Single(await ErrorFieldsAsync(badCountry)));
        Assert.Equal("name", Assert.Single(await ErrorFieldsAsync(taken)));
        Assert.Equal("contact", Assert.Single(await ErrorFieldsAsync(longContact)));
        Assert.Equal(HttpStatusCode.Forbidden, officer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, applicant.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM banks"));
    }

    [Fact]
    public async Task An_approved_application_goes_to_its_countrys_first_active_bank_and_only_the_bank_it_is_with_may_confirm_it()
    {
        var id = await api.ApplicationInStatusAsync("APPROVED");
        Assert.Equal(await BankOfKeyAsync(TestBanks.KeyId("CO")), await api.Database.ScalarAsync<Guid>($"SELECT bank_id FROM credit_applications WHERE id = '{id}'"));
        var (second, secondKey, secondSecret) = await RegisterAsync("Banco Segundo", "CO");
        var body = Event(id);

        using var foreign = await SendAsync(body, TestBanks.KeyId("PT"), TestBanks.Secret("PT"));
        using var sameCountry = await SendAsync(body, secondKey, secondSecret);

        foreach (var refused in new[] { foreign, sameCountry })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.EndsWith("/application_not_with_bank", (await JsonAsync(refused)).GetProperty("type").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal("APPROVED", await api.Database.StatusAsync(id));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM webhook_events WHERE application_id = '{id}'"));

        // Given to the second bank, the very event it sent is applied (nothing was recorded when it was refused).
        using var admin = api.Client(AdminKey);
        using var assigned = await admin.PutAsJsonAsync($"api/v1/applications/{id}/bank", new { bank_id = second });
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        using var applied = await SendAsync(body, secondKey, secondSecret);
        using var formerBank = await SendAsync(Event(id, type: "disbursement.failed"), TestBanks.KeyId("CO"), TestBanks.Secret("CO"));

        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        Assert.Equal("DISBURSED", await api.Database.StatusAsync(id));
        Assert.Equal(HttpStatusCode.Forbidden, formerBank.StatusCode);
    }

    [Fact]
    public async Task Event_ids_are_each_banks_own_so_two_banks_may_use_the_same_one()
    {
        var (_, otherKey, otherSecret) = await RegisterAsync("Banco Homónimo", "CO");
        var mine = await api.ApplicationInStatusAsync("APPROVED");
        var theirs = await api.ApplicationInStatusAsync("APPROVED");
        using var admin = api.Client(AdminKey);
        using var assigned = await admin.PutAsJsonAsync($"api/v1/applications/{theirs}/bank", new { bank_id = await BankOfKeyAsync(otherKey) });

        using var first = await SendAsync(Event(mine, eventId: "evt-shared-1"), TestBanks.KeyId("CO"), TestBanks.Secret("CO"));
        using var second = await SendAsync(Event(theirs, eventId: "evt-shared-1"), otherKey, otherSecret);

        Assert.Equal("processed", (await JsonAsync(first)).GetProperty("status").GetString());
        Assert.Equal("processed", (await JsonAsync(second)).GetProperty("status").GetString());
        Assert.Equal("DISBURSED", await api.Database.StatusAsync(mine));
        Assert.Equal("DISBURSED", await api.Database.StatusAsync(theirs));
    }

    [Fact]
    public async Task Giving_an_application_to_another_bank_is_for_admins_and_only_to_an_active_bank_of_its_country_before_disbursement()
    {
        var id = await api.ApplicationInStatusAsync("APPROVED");
        var (inactive, _, _) = await RegisterAsync("Banco Dormido", "CO");
        using var admin = api.Client(AdminKey);
        using (await admin.PostAsync($"api/v1/banks/{inactive}/deactivate", null))
        {
        }
        var portuguese = await BankOfKeyAsync(TestBanks.KeyId("PT"));
        var underReview = await api.ApplicationInStatusAsync("UNDER_REVIEW");

        using var officer = await api.Client(OfficerKey).PutAsJsonAsync($"api/v1/applications/{id}/bank", new { bank_id = portuguese });
        using var otherCountry = await admin.PutAsJsonAsync($"api/v1/applications/{id}/bank", new { bank_id = portuguese });
        using var dormant = await admin.PutAsJsonAsync($"api/v1/applications/{id}/bank", new { bank_id = inactive });
        using var unknownBank = await admin.PutAsJsonAsync($"api/v1/applications/{id}/bank", new { bank_id = Guid.NewGuid() });
        using var noBank = await admin.PutAsJsonAsync($"api/v1/applications/{id}/bank", new { });
        using var unknownApplication = await admin.PutAsJsonAsync($"api/v1/applications/{Guid.NewGuid()}/bank", new { bank_id = portuguese });
        using var notApproved = await admin.PutAsJsonAsync($"api/v1/applications/{underReview}/bank", new { bank_id = await BankOfKeyAsync(TestBanks.KeyId("CO")) });

        Assert.Equal(HttpStatusCode.Forbidden, officer.StatusCode);
        foreach (var refused in new[] { otherCountry, dormant, unknownBank, noBank })
        {
            Assert.Equal("bank_id", Assert.Single(await ErrorFieldsAsync(refused)));
        }
        Assert.Equal(HttpStatusCode.NotFound, unknownApplication.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, notApproved.StatusCode);
        Assert.EndsWith("/not_approved", (await JsonAsync(notApproved)).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(await BankOfKeyAsync(TestBanks.KeyId("CO")), await api.Database.ScalarAsync<Guid>($"SELECT bank_id FROM credit_applications WHERE id = '{id}'"));
    }

    [Fact]
    public async Task Rotating_gives_a_new_key_at_once_and_the_old_one_works_until_its_overlap_ends()
    {
        var (bank, oldKey, oldSecret) = await RegisterAsync("Banco Rotativo", "CO");
        var application = await ApplicationOfAsync(bank);
        using var admin = api.Client(AdminKey);

        using var rotated = await admin.PostAsync($"api/v1/banks/{bank}/rotate-key", null);

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var body = await JsonAsync(rotated);
        var newKey = body.GetProperty("new_key").GetProperty("key_id").GetString()!;
        var newSecret = body.GetProperty("new_key").GetProperty("secret").GetString()!;
        var old = body.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("key_id").GetString() == oldKey);
        Assert.True(old.GetProperty("works").GetBoolean());
        Assert.InRange(old.GetProperty("expires_at").GetDateTime(), DateTime.UtcNow.AddHours(24).AddMinutes(-5), DateTime.UtcNow.AddHours(24).AddMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Event(application, type: "account.verified"), oldKey, oldSecret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Event(application, type: "account.verified"), newKey, newSecret)).StatusCode);

        // The overlap ends (here by SQL, as an operator would): every node forgets the key within a second.
        await api.Database.ExecuteAsync($"UPDATE bank_keys SET expires_at = now() - interval '1 second' WHERE key_id = '{oldKey}'");

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithinAsync(HttpStatusCode.Unauthorized, () => Event(application, type: "account.verified"), oldKey, oldSecret));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Event(application, type: "account.verified"), newKey, newSecret)).StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_and_a_deactivated_bank_are_refused_at_once_and_an_activated_bank_works_again()
    {
        var (bank, key, secret) = await RegisterAsync("Banco Revocado", "CO");
        var application = await ApplicationOfAsync(bank);
        using var admin = api.Client(AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Event(application, type: "account.verified"), key, secret)).StatusCode);

        using var revoked = await admin.PostAsync($"api/v1/banks/{bank}/keys/{key}/revoke", null);
        using var revokedAgain = await admin.PostAsync($"api/v1/banks/{bank}/keys/{key}/revoke", null);
        using var afterRevoke = await SendAsync(Event(application, type: "account.verified"), key, secret);

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.False((await JsonAsync(revoked)).GetProperty("keys")[0].GetProperty("works").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, revokedAgain.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);

        using var rotated = await admin.PostAsync($"api/v1/banks/{bank}/rotate-key", null);
        var newKey = (await JsonAsync(rotated)).GetProperty("new_key");
        var (key2, secret2) = (newKey.GetProperty("key_id").GetString()!, newKey.GetProperty("secret").GetString()!);
        using (await admin.PostAsync($"api/v1/banks/{bank}/deactivate", null))
        {
        }
        using var inactive = await SendAsync(Event(application, type: "account.verified"), key2, secret2);
        using (await admin.PostAsync($"api/v1/banks/{bank}/activate", null))
        {
        }
        using var active = await SendAsync(Event(application, type: "account.verified"), key2, secret2);

        Assert.Equal(HttpStatusCode.Forbidden, inactive.StatusCode);
        Assert.EndsWith("/bank_inactive", (await JsonAsync(inactive)).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, active.StatusCode);
        using var officer = await api.Client(OfficerKey).PostAsync($"api/v1/banks/{bank}/rotate-key", null);
        Assert.Equal(HttpStatusCode.Forbidden, officer.StatusCode);
    }

    [Fact]
    public async Task A_bank_registered_when_its_country_had_none_active_takes_the_approved_applications_waiting_for_one()
    {
        using var admin = api.Client(AdminKey);
        var spanishBanks = await api.Database.ListAsync("SELECT id FROM banks WHERE country = 'ES' AND active", reader => reader.GetGuid(0));
        foreach (var spanish in spanishBanks)
        {
            using var deactivated = await admin.PostAsync($"api/v1/banks/{spanish}/deactivate", null);
            Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        }
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM banks WHERE country = 'ES' AND active"));
        try
        {
            var submission = api.App.Services.GetRequiredService<ApplicationSubmission>();
            var waiting = await api.Database.SubmitOutOfPipelineAsync(() => submission.SubmitAsync(ApplicationTestData.Spanish()), "APPROVED");
            Assert.Null(await api.Database.ScalarAsync<Guid?>($"SELECT bank_id FROM credit_applications WHERE id = '{waiting}'"));

            var (bank, _, _) = await RegisterAsync("Banco Nuevo", "ES");

            Assert.Equal(bank, await api.Database.ScalarAsync<Guid>($"SELECT bank_id FROM credit_applications WHERE id = '{waiting}'"));
        }
        finally
        {
            foreach (var spanish in spanishBanks)
            {
                using (await admin.PostAsync($"api/v1/banks/{spanish}/activate", null))
                {
                }
            }
        }
    }

    [Fact]
    public async Task A_seeded_bank_whose_configured_key_changed_gets_the_new_key_beside_its_old_one()
    {
        var banks = api.App.Services.GetRequiredService<CreditDesk.Infrastructure.Banks.BankPartners>();
        var bank = await BankOfKeyAsync(TestBanks.KeyId("MX"));

        await banks.EnsureAsync("test bank mx", "MX", null, "bk_test_mx_next", "bksec_test_mx_next", CancellationToken.None);

        Assert.Equal(bank, await BankOfKeyAsync("bk_test_mx_next"));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM banks WHERE country = 'MX'"));
    }

    private async Task<(Guid Id, string KeyId, string Secret)> RegisterAsync(string name, string country)
    {
        using var admin = api.Client(AdminKey);
        using var created = await admin.PostAsJsonAsync("api/v1/banks", new { name, country });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await JsonAsync(created);
        return (body.GetProperty("id").GetGuid(), body.GetProperty("new_key").GetProperty("key_id").GetString()!,
            body.GetProperty("new_key").GetProperty("secret").GetString()!);
    }

    /// <summary>An approved Colombian application given to <paramref name="bank"/>.</summary>
    private async Task<Guid> ApplicationOfAsync(Guid bank)
    {
        var id = await api.ApplicationInStatusAsync("APPROVED");
        using var admin = api.Client(AdminKey);
        using var assigned = await admin.PutAsJsonAsync($"api/v1/applications/{id}/bank", new { bank_id = bank });
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        return id;
    }

    private Task<Guid> BankOfKeyAsync(string keyId) =>
        api.Database.ScalarAsync<Guid>($"SELECT bank_id FROM bank_keys WHERE key_id = '{keyId}'");

    private async Task<HttpStatusCode> StatusWithinAsync(HttpStatusCode expected, Func<byte[]> body, string keyId, string secret)
    {
        var deadline = DateTime.UtcNow.AddSeconds(1);
        while (true)
        {
            using var response = await SendAsync(body(), keyId, secret);
            if (response.StatusCode == expected || DateTime.UtcNow > deadline)
            {
                return response.StatusCode;
            }
            await Task.Delay(50);
        }
    }

    private static async Task<IReadOnlyList<string>> ErrorFieldsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("errors").EnumerateObject().Select(field => field.Name).ToList();
    }

    private static byte[] Event(Guid applicationId, string type = "disbursement.completed", string? eventId = null) =>
        TestBanks.Event(applicationId, type, eventId, reference: "ref-bank");

    private Task<HttpResponseMessage> SendAsync(byte[] body, string keyId, string secret) =>
        TestBanks.SendAsync(api.App.BaseAddress, body, WebhookSignature.Sign(keyId, secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
}
