using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CreditDesk.Domain.Countries;
using CreditDesk.Domain.Decisions;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;
using Npgsql;
using static CreditDesk.Tests.Support.ApiFixture;

namespace CreditDesk.Tests.Api;

/// <summary>Issue #23 from the outside: the decision record, the applicant's human review, the notice trail, and policy versions.</summary>
public sealed class DecisionRecordApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task The_decision_record_shows_the_policy_version_each_input_with_its_source_every_rule_and_the_principal_reasons()
    {
        var id = await RejectedAsync(ApplicantKey);

        using var officer = api.Client(OfficerKey);
        var trail = await JsonAsync(await officer.GetAsync($"api/v1/applications/{id}/decision"));
        var current = trail.GetProperty("current");
        var record = current.GetProperty("record");

        Assert.True(current.GetProperty("solely_automated").GetBoolean());
        Assert.Equal("REJECTED", current.GetProperty("status").GetString());
        Assert.Matches("^[0-9a-f]{16}$", current.GetProperty("policy_version").GetString()!);
        Assert.Equal(current.GetProperty("policy_version").GetString(), record.GetProperty("policy_version").GetString());
        var inputs = record.GetProperty("inputs").EnumerateArray().ToDictionary(input => input.GetProperty("name").GetString()!);
        Assert.Equal("declared", inputs["requested_amount"].GetProperty("source").GetString());
        Assert.Equal("50000000.00", inputs["requested_amount"].GetProperty("value").GetString());
        Assert.Equal("bureau", inputs["bureau_score"].GetProperty("source").GetString());
        Assert.Equal("computed", inputs["monthly_payment"].GetProperty("source").GetString());
        Assert.All(inputs.Values, input => Assert.NotEqual(JsonValueKind.Null, input.GetProperty("at").ValueKind));
        var bureau = record.GetProperty("bureau");
        Assert.Equal(CountryRegistry.Get("CO").BureauName, bureau.GetProperty("name").GetString());
        Assert.StartsWith("CO-", bureau.GetProperty("request_id").GetString(), StringComparison.Ordinal);
        Assert.Equal(300, bureau.GetProperty("score_min").GetInt32());
        Assert.Equal(850, bureau.GetProperty("score_max").GetInt32());
        var rules = record.GetProperty("rules").EnumerateArray().ToList();
        var payment = rules.Single(rule => rule.GetProperty("name").GetString() == "payment_to_income");
        Assert.Equal("FAILED", payment.GetProperty("result").GetString());
        Assert.Equal("reject", payment.GetProperty("effect").GetString());
        Assert.False(string.IsNullOrEmpty(payment.GetProperty("threshold").GetString()));
        var reasons = record.GetProperty("reasons").EnumerateArray().Select(reason => reason.GetString()).ToList();
        Assert.InRange(reasons.Count, 1, PrincipalReasons.Max);
        Assert.Contains("payment_too_high_for_income", reasons);
        // The applicant gets the reasons (on their application), never the record.
        using var applicant = api.Client(ApplicantKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await applicant.GetAsync($"api/v1/applications/{id}/decision")).StatusCode);
    }

    [Fact]
    public async Task A_product_change_after_a_decision_leaves_its_recorded_version_and_outcome_untouched_and_the_record_cannot_be_rewritten()
    {
        var before = await RejectedAsync(ApplicantKey);
        using var officer = api.Client(OfficerKey);
        var recorded = (await JsonAsync(await officer.GetAsync($"api/v1/applications/{before}/decision"))).GetProperty("current");

        using var admin = api.Client(AdminKey);
        var product = CountryRegistry.Get("CO").Product;
        using var created = await admin.PostAsJsonAsync("api/v1/countries/CO/products", new
        {
            effective_from = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            min_amount = product.MinAmount, max_amount = product.MaxAmount, min_term_months = product.MinTermMonths, max_term_months = product.MaxTermMonths,
            bands = new[] { new { up_to_amount = product.MaxAmount, nominal_annual_rate = 0.2999m } },
            opening_fee_rate = product.OpeningFeeRate,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var newVersion = (await JsonAsync(created)).GetProperty("version").GetString();
        var after = await RejectedAsync(ApplicantKey);

        var again = (await JsonAsync(await officer.GetAsync($"api/v1/applications/{before}/decision"))).GetProperty("current");
        var decidedAfter = (await JsonAsync(await officer.GetAsync($"api/v1/applications/{after}/decision"))).GetProperty("current");
        Assert.Equal(recorded.GetRawText(), again.GetRawText());
        Assert.Equal(product.Version, again.GetProperty("product_version").GetString());
        Assert.Equal(newVersion, decidedAfter.GetProperty("product_version").GetString());
        Assert.NotEqual(recorded.GetProperty("policy_version").GetString(), decidedAfter.GetProperty("policy_version").GetString());
        var products = (await JsonAsync(await officer.GetAsync("api/v1/countries/CO/products"))).EnumerateArray().ToList();
        Assert.Equal(newVersion, products.Single(p => p.GetProperty("in_effect").GetBoolean()).GetProperty("version").GetString());
        var rewrite = await Assert.ThrowsAsync<PostgresException>(() =>
            api.Database.ExecuteAsync($"UPDATE decisions SET status = 'APPROVED' WHERE application_id = '{before}'"));
        Assert.Contains("append-only", rewrite.MessageText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PostgresException>(() => api.Database.ExecuteAsync($"DELETE FROM decisions WHERE application_id = '{before}'"));
    }

    [Fact]
    public async Task An_applicant_asks_once_for_a_human_review_with_their_view_and_reads_the_outcome_which_reopens_the_rejection_as_a_new_decision()
    {
        var id = await RejectedAsync(ApplicantKey);
        using var applicant = api.Client(ApplicantKey);
        const string view = "My income rose in October; the payslip is attached to the application.";

        using var asked = await applicant.PostAsJsonAsync($"api/v1/applications/{id}/review-requests", new { statement = view });
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        var request = await JsonAsync(asked);
        Assert.Null(request.GetProperty("outcome").GetString());
        using var twice = await applicant.PostAsJsonAsync($"api/v1/applications/{id}/review-requests", new { statement = "Again" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.EndsWith("/review_already_requested", (await JsonAsync(twice)).GetProperty("type").GetString(), StringComparison.Ordinal);
        // Encrypted at rest like every other personal text.
        Assert.Equal(0L, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM review_requests WHERE position(convert_to('income rose', 'UTF8') in statement_cipher) > 0"));

        using var officer = api.Client(OfficerKey);
        var queue = await JsonAsync(await officer.GetAsync($"api/v1/applications/{id}/review-requests"));
        Assert.Equal(view, queue[0].GetProperty("statement").GetString());
        using var outcome = await officer.PostAsJsonAsync($"api/v1/applications/{id}/review-requests/{request.GetProperty("id").GetGuid()}/outcome",
            new { outcome = "changed", explanation = "Your new income changes the picture: an officer will decide again." });
        Assert.Equal(HttpStatusCode.OK, outcome.StatusCode);
        using var outcomeTwice = await officer.PostAsJsonAsync($"api/v1/applications/{id}/review-requests/{request.GetProperty("id").GetGuid()}/outcome",
            new { outcome = "upheld", explanation = "No" });
        Assert.Equal(HttpStatusCode.Conflict, outcomeTwice.StatusCode);

        var seen = await JsonAsync(await applicant.GetAsync($"api/v1/applications/{id}/review-requests"));
        Assert.Equal("changed", seen[0].GetProperty("outcome").GetString());
        Assert.Equal("Your new income changes the picture: an officer will decide again.", seen[0].GetProperty("explanation").GetString());
        Assert.Equal("UNDER_REVIEW", await api.Database.StatusAsync(id));
        var trail = await JsonAsync(await officer.GetAsync($"api/v1/applications/{id}/decision"));
        var decisions = trail.GetProperty("decisions").EnumerateArray().ToList();
        Assert.Equal(2, decisions.Count);
        Assert.True(decisions[0].GetProperty("solely_automated").GetBoolean());
        Assert.Equal("REJECTED", decisions[0].GetProperty("status").GetString());
        Assert.False(decisions[1].GetProperty("solely_automated").GetBoolean());
        Assert.Equal(decisions[0].GetProperty("id").GetInt64(), decisions[1].GetProperty("supersedes").GetInt64());
        Assert.Equal(decisions[0].GetProperty("policy_version").GetString(), decisions[1].GetProperty("policy_version").GetString());
        Assert.Equal("officer", decisions[1].GetProperty("decided_by").GetString());
        // A person's decision is not one the applicant can ask a person about again.
        using var onManual = await applicant.PostAsJsonAsync($"api/v1/applications/{id}/review-requests", new { statement = "And again" });
        Assert.Equal(HttpStatusCode.Conflict, onManual.StatusCode);
        Assert.EndsWith("/not_eligible", (await JsonAsync(onManual)).GetProperty("type").GetString(), StringComparison.Ordinal);

        // The admin then approves it on the desk: a third decision, a person's, superseding the reopening.
        using var approved = await api.Client(AdminKey).PatchAsJsonAsync($"api/v1/applications/{id}/status", new { status = "APPROVED", reason = "New contract verified" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var final = (await JsonAsync(await officer.GetAsync($"api/v1/applications/{id}/decision"))).GetProperty("decisions").EnumerateArray().ToList();
        Assert.Equal(3, final.Count);
        Assert.Equal(("APPROVED", false, "admin"), (final[2].GetProperty("status").GetString(), final[2].GetProperty("solely_automated").GetBoolean(),
            final[2].GetProperty("decided_by").GetString()));
        Assert.Equal(final[1].GetProperty("id").GetInt64(), final[2].GetProperty("supersedes").GetInt64());
        Assert.Equal("New contract verified", final[2].GetProperty("record").GetProperty("reason").GetString());
        Assert.Equal(decisions[0].GetRawText(), final[0].GetRawText());
    }

    [Fact]
    public async Task A_review_request_by_someone_elses_applicant_key_is_404_and_by_staff_403()
    {
        var id = await RejectedAsync(ApplicantKey);
        using var other = api.Client(OtherApplicantKey);
        using var officer = api.Client(OfficerKey);

        using var foreign = await other.PostAsJsonAsync($"api/v1/applications/{id}/review-requests", new { statement = "Not mine" });
        using var staff = await officer.PostAsJsonAsync($"api/v1/applications/{id}/review-requests", new { statement = "Staff" });
        using var reading = await other.GetAsync($"api/v1/applications/{id}/review-requests");

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, staff.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, reading.StatusCode);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM review_requests WHERE application_id = '{id}'"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task A_review_request_without_a_statement_is_422_and_changes_nothing(string? statement)
    {
        var id = await RejectedAsync(ApplicantKey);
        using var applicant = api.Client(ApplicantKey);
        using var response = await applicant.PostAsJsonAsync($"api/v1/applications/{id}/review-requests", new { statement });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM review_requests WHERE application_id = '{id}'"));
    }

    [Fact]
    public async Task A_statement_over_2000_characters_is_422_and_an_approved_application_cannot_be_reviewed_on_request()
    {
        var rejected = await RejectedAsync(ApplicantKey);
        using var applicant = api.Client(ApplicantKey);
        using var tooLong = await applicant.PostAsJsonAsync($"api/v1/applications/{rejected}/review-requests", new { statement = new string('a', 2_001) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);

        var pending = await api.ApplicationInStatusAsync("PENDING");
        using var notDecided = await applicant.PostAsJsonAsync($"api/v1/applications/{pending}/review-requests", new { statement = "Why?" });
        Assert.Equal(HttpStatusCode.Conflict, notDecided.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client(OfficerKey).GetAsync($"api/v1/applications/{pending}/decision")).StatusCode);
    }

    [Fact]
    public async Task The_applicant_reading_a_decision_is_recorded_once_per_language_and_channel_as_its_notice()
    {
        var id = await RejectedAsync(ApplicantKey);
        using var applicant = api.Client(ApplicantKey);
        await applicant.GetAsync($"api/v1/applications/{id}");
        await applicant.GetAsync($"api/v1/applications/{id}");

        var trail = await JsonAsync(await api.Client(OfficerKey).GetAsync($"api/v1/applications/{id}/decision"));
        var notices = trail.GetProperty("current").GetProperty("notices").EnumerateArray().ToList();
        var notice = Assert.Single(notices);
        Assert.Equal("api", notice.GetProperty("channel").GetString());
        Assert.Equal("en", notice.GetProperty("language").GetString());
        Assert.StartsWith(CreditDesk.Web.Localization.DeskText.English("Applicant.Status.REJECTED"), notice.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Contains(CreditDesk.Web.Localization.DeskText.English("Reason.payment_too_high_for_income"), notice.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.InRange(trail.GetProperty("seconds_to_first_notice").GetDouble(), 0, 120);
    }

    [Fact]
    public async Task Admins_alone_add_products_which_take_effect_today_or_later_and_the_same_terms_twice_are_409()
    {
        var product = CountryRegistry.Get("PT").Product;
        object Body(string effective, decimal rate) => new
        {
            effective_from = effective, min_amount = product.MinAmount, max_amount = product.MaxAmount, min_term_months = product.MinTermMonths,
            max_term_months = product.MaxTermMonths, bands = new[] { new { up_to_amount = product.MaxAmount, nominal_annual_rate = rate } },
            opening_fee_rate = product.OpeningFeeRate,
        };
        var tomorrow = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using var admin = api.Client(AdminKey);

        using var byOfficer = await api.Client(OfficerKey).PostAsJsonAsync("api/v1/countries/PT/products", Body(tomorrow, 0.08m));
        using var past = await admin.PostAsJsonAsync("api/v1/countries/PT/products", Body("2020-01-01", 0.08m));
        using var badRate = await admin.PostAsJsonAsync("api/v1/countries/PT/products", Body(tomorrow, 2m));
        using var first = await admin.PostAsJsonAsync("api/v1/countries/PT/products", Body(tomorrow, 0.08m));
        using var same = await admin.PostAsJsonAsync("api/v1/countries/PT/products", Body(tomorrow, 0.08m));

        Assert.Equal(HttpStatusCode.Forbidden, byOfficer.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, past.StatusCode);
        Assert.True((await JsonAsync(past)).GetProperty("errors").TryGetProperty("effective_from", out _));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badRate.StatusCode);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, same.StatusCode);
        // Tomorrow's product is listed but not yet in effect: today's applications are still priced with the file's.
        var products = (await JsonAsync(await admin.GetAsync("api/v1/countries/PT/products"))).EnumerateArray().ToList();
        Assert.Equal(product.Version, products.Single(p => p.GetProperty("in_effect").GetBoolean()).GetProperty("version").GetString());
    }

    [Fact]
    public async Task An_amount_outside_the_products_limits_is_refused_at_intake_with_the_field_and_nothing_is_stored()
    {
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications");
        using var applicant = api.Client(ApplicantKey);
        using var response = await applicant.PostAsJsonAsync("api/v1/applications", new
        {
            country = "ES", full_name = "Lucía Fernández", document = ApplicationTestData.NextDni(), amount = "500.00", monthly_income = "3000", term_months = 24,
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("1,000", (await JsonAsync(response)).GetProperty("errors").GetProperty("amount")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications"));
    }

    /// <summary>A Colombian application the rules reject (income below the minimum, payment far above it), decided.</summary>
    private async Task<Guid> RejectedAsync(string key)
    {
        using var applicant = api.Client(key);
        using var created = await applicant.PostAsJsonAsync("api/v1/applications", new
        {
            country = "CO", full_name = "Lucía Herrera", document = ApplicationTestData.NextCedula(), amount = "50000000.00", monthly_income = "300000", term_months = 12,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await JsonAsync(created)).GetProperty("id").GetGuid();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await api.Database.StatusAsync(id) is "PENDING" or "VALIDATING" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal("REJECTED", await api.Database.StatusAsync(id));
        return id;
    }
}
