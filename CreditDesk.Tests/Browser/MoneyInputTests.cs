using CreditDesk.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

/// <summary>Amounts typed the local way are read by the browser's culture, or refused: never silently off by 100× or 1000×.</summary>
public sealed class MoneyInputTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("2500,50")]
    [InlineData("15.000")]
    [InlineData("15.000,50")]
    [InlineData("1e5")]
    public async Task In_English_an_amount_written_another_way_is_a_field_error_and_nothing_is_submitted(string typed)
    {
        await using var browser = await fixture.OpenAsync("en-US");
        await browser.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, "/apply");
        var page = browser.Page;
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications");

        await browser.FillApplicationAsync("Brazil", "Beatriz Oliveira Souza", "529.982.247-25", typed, "7000");
        await page.GetByTestId("apply-submit").ClickAsync();

        await Expect(page.GetByTestId("error-amount")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("apply-amount-understood")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("apply-result")).ToHaveCountAsync(0);
        Assert.Equal(before, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications"));
    }

    [Fact]
    public async Task A_Brazilian_browser_applies_in_Portuguese_types_15_000_comma_50_sees_it_understood_submits_exactly_that_amount_and_Submit_another_keeps_Brazil()
    {
        await using var browser = await fixture.OpenAsync("pt-BR");
        await browser.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, "/apply");
        var page = browser.Page;
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "pt-BR");
        await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Solicitar crédito");

        await browser.FillApplicationAsync("Brasil", "Beatriz Oliveira Souza", "529.982.247-25", "15.000,50", "7.000", "48");

        await Expect(page.GetByTestId("apply-amount-understood")).ToHaveTextAsync("Entendido como R$ 15.000,50");
        await Expect(page.GetByTestId("apply-payment")).ToContainTextAsync("Parcela mensal estimada: R$");
        await Expect(page.GetByTestId("apply-amount-understood")).ToHaveAttributeAsync("data-amount", "15000.50");
        await Expect(page.GetByTestId("apply-income-understood")).ToHaveAttributeAsync("data-amount", "7000.00");
        await browser.ScreenshotAsync("apply-money-understood");
        await page.GetByTestId("apply-submit").ClickAsync();

        var result = page.GetByTestId("apply-result");
        await Expect(result).ToBeVisibleAsync();
        await Expect(result).ToContainTextAsync("foi recebida");
        var id = Guid.Parse((await result.GetAttributeAsync("data-id"))!);
        Assert.Equal(15_000.50m, await fixture.Database.ScalarAsync<decimal>($"SELECT requested_amount FROM credit_applications WHERE id = '{id}'"));
        Assert.Equal(7_000m, await fixture.Database.ScalarAsync<decimal>($"SELECT monthly_income FROM credit_applications WHERE id = '{id}'"));

        await page.GetByTestId("apply-again").ClickAsync();
        await Expect(page.GetByTestId("apply-document")).ToHaveAccessibleNameAsync("CPF");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_term_outside_6_to_84_months_is_an_error_not_clamped()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, "/apply");
        var page = browser.Page;

        await page.GetByTestId("apply-term").FillAsync("120");

        await Expect(page.GetByTestId("error-term_months")).ToContainTextAsync("between 6 and 84");
        await Expect(page.GetByTestId("apply-term")).ToHaveValueAsync("120");
    }
}
