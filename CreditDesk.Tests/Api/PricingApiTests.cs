using System.Globalization;
using System.Net;
using CreditDesk.Domain.Pricing;
using CreditDesk.Tests.Support;
using static CreditDesk.Tests.Support.ApiFixture;

namespace CreditDesk.Tests.Api;

/// <summary>Issue #22's "done when", through the API: the payment is the annuity at the rate, the APR is at least the rate, the schedule sums to the total.</summary>
public sealed class PricingApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static decimal Read(System.Text.Json.JsonElement element, string name) =>
        decimal.Parse(element.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_applications_price_is_the_annuity_at_its_rate_its_APR_is_at_least_the_rate_and_its_schedule_sums_to_the_total()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var applicant = api.Client(ApplicantKey);

        var application = await JsonAsync(await applicant.GetAsync($"api/v1/applications/{id}"));
        using var scheduleResponse = await applicant.GetAsync($"api/v1/applications/{id}/schedule");
        var schedule = await JsonAsync(scheduleResponse);

        var rate = Read(application, "annual_interest_rate") / 100m;
        var payment = Read(application, "monthly_payment");
        Assert.Equal(Amortisation.Payment(Read(application, "amount"), rate, application.GetProperty("term_months").GetInt32()), payment);
        Assert.True(Read(application, "apr") >= Read(application, "annual_interest_rate"));
        Assert.Equal("TASA_EFECTIVA_ANUAL", application.GetProperty("apr_name").GetString());
        Assert.Equal(HttpStatusCode.OK, scheduleResponse.StatusCode);
        var instalments = schedule.GetProperty("instalments").EnumerateArray().ToList();
        Assert.Equal(application.GetProperty("term_months").GetInt32(), instalments.Count);
        Assert.Equal(Read(application, "total_repayable"), instalments.Sum(instalment => Read(instalment, "payment")));
        Assert.Equal(0m, Read(instalments[^1], "balance"));
        Assert.Equal(12, schedule.GetProperty("product_version").GetString()!.Length);
    }

    [Fact]
    public async Task Another_applicants_schedule_is_not_found()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var other = api.Client(OtherApplicantKey);

        using var response = await other.GetAsync($"api/v1/applications/{id}/schedule");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
