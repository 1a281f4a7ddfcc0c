using CreditDesk.Domain.Countries;
using CreditDesk.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

/// <summary>Issue #22: admins set a country's loan product in the UI, with the day it takes effect.</summary>
public sealed class LoanProductsTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_adds_a_version_of_Spains_product_from_tomorrow_which_is_listed_but_not_yet_in_effect()
    {
        var spain = CountryRegistry.Get("ES").Product;
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, "/products");
        await Expect(admin.Page.Locator($"[data-testid=product-version][data-version='{spain.Version}']")).ToHaveAttributeAsync("data-in-effect", "true");

        await admin.Page.GetByTestId("product-band-rate").First.FillAsync("10.49");
        await admin.Page.GetByTestId("product-save").ClickAsync();

        var versions = admin.Page.GetByTestId("product-version");
        await Expect(versions).ToHaveCountAsync(2);
        await Expect(admin.Page.Locator($"[data-testid=product-version][data-version='{spain.Version}']")).ToHaveAttributeAsync("data-in-effect", "true");
        var stored = await fixture.Database.ScalarAsync<string>(
            "SELECT definition::text FROM loan_products WHERE country = 'ES' AND created_by <> 'system'");
        Assert.Contains("0.1049", stored, StringComparison.Ordinal);
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1), await fixture.Database.ScalarAsync<DateOnly>(
            "SELECT effective_from FROM loan_products WHERE country = 'ES' AND created_by <> 'system'"));
        await admin.ScreenshotAsync("products");
        admin.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_rate_typed_the_wrong_way_for_the_readers_language_is_refused_and_nothing_is_stored()
    {
        await using var admin = await fixture.OpenAsync("pt-BR");
        await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, "/products");
        await admin.ChooseAsync("products-country", "Brasil");
        // The form is refilled with Brazil's product once its versions are read: typing before that would be overwritten.
        var brazil = CountryRegistry.Get("BR").Product;
        await Expect(admin.Page.Locator($"[data-testid=product-version][data-version='{brazil.Version}']")).ToHaveAttributeAsync("data-in-effect", "true");
        // In Portuguese "9.95" is not nine point nine five: it is refused rather than read as 995 %.
        await admin.Page.GetByTestId("product-band-rate").First.FillAsync("9.95");
        await admin.Page.GetByTestId("product-save").ClickAsync();

        await Expect(admin.Page.GetByTestId("product-problems")).ToBeVisibleAsync();
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM loan_products WHERE country = 'BR' AND created_by <> 'system'"));
        admin.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task An_officer_cannot_open_the_products_page()
    {
        await using var officer = await fixture.OpenAsync();
        await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/products");

        await Expect(officer.Page.GetByTestId("not-allowed")).ToBeVisibleAsync();
        await Expect(officer.Page.GetByTestId("product-form")).ToHaveCountAsync(0);
    }
}
