using System.Net.Http.Json;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;
using static CreditDesk.Tests.Support.ApiFixture;

namespace CreditDesk.Tests.Api;

public sealed class ApplicantReasonsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_rejected_applicant_reads_why_in_plain_words_without_thresholds_and_that_a_person_can_review_it()
    {
        using var applicant = api.Client(ApplicantKey);
        using var created = await applicant.PostAsJsonAsync("api/v1/applications", new
        {
            country = "CO", full_name = "Lucía Herrera", document = ApplicationTestData.NextCedula(), amount = "50000000.00", monthly_income = "300000", term_months = 12,
        });
        var id = (await JsonAsync(created)).GetProperty("id").GetGuid();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await api.Database.StatusAsync(id) is "PENDING" or "VALIDATING" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var own = await JsonAsync(await applicant.GetAsync($"api/v1/applications/{id}"));
        var asStaff = await JsonAsync(await api.Client(OfficerKey).GetAsync($"api/v1/applications/{id}"));

        Assert.Equal("REJECTED", own.GetProperty("status").GetString());
        var reasons = own.GetProperty("reasons").EnumerateArray().ToList();
        Assert.InRange(reasons.Count, 1, 4);
        var codes = reasons.Select(reason => reason.GetProperty("code").GetString()!).ToList();
        Assert.Contains("payment_too_high_for_income", codes);
        Assert.Equal(codes.OrderBy(code => CreditDesk.Domain.Decisions.PrincipalReasons.Codes.ToList().IndexOf(code)), codes);
        Assert.All(reasons, reason => Assert.DoesNotMatch(@"\d", reason.GetProperty("text").GetString()!));
        Assert.Contains("person", own.GetProperty("human_review").GetString(), StringComparison.Ordinal);
        Assert.False(own.TryGetProperty("rules", out _));
        Assert.False(asStaff.TryGetProperty("reasons", out _));
    }
}
