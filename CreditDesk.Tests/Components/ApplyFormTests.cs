using System.Globalization;
using Bunit;
using CreditDesk.Web.Components.Applications;
using MudBlazor;

namespace CreditDesk.Tests.Components;

public sealed class ApplyFormTests : DeskComponentContext
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    [Theory]
    [InlineData("Spain", "DNI / NIE", "12345678Z", "EUR")]
    [InlineData("Portugal", "NIF", "123456789", "EUR")]
    [InlineData("Italy", "Codice Fiscale", "RSSMRA85T10A562S", "EUR")]
    [InlineData("Mexico", "CURP", "HEGG560427MVZRRL04", "MXN")]
    [InlineData("Colombia", "Cédula de ciudadanía", "1020304050", "COP")]
    [InlineData("Brazil", "CPF", "529.982.247-25", "BRL")]
    public async Task Choosing_a_country_changes_the_document_label_placeholder_hint_and_currency(string country, string document, string placeholder, string currency)
    {
        var popovers = RenderPopovers();
        var form = Render<ApplyForm>(p => p.Add(f => f.Culture, English));
        var hintBefore = form.Find("[data-testid=apply-document-hint]").TextContent;

        await form.Find("[data-testid=apply-country]").MouseDownAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        var option = popovers.WaitForElements(".mud-popover-open .mud-list-item").Single(item => item.TextContent.Trim() == country);
        await option.ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        form.WaitForAssertion(() =>
        {
            Assert.Equal(placeholder, form.Find("[data-testid=apply-document]").GetAttribute("placeholder"));
            Assert.Contains(document, form.Find("label[for='" + form.Find("[data-testid=apply-document]").Id + "']").TextContent, StringComparison.Ordinal);
            Assert.Contains($"({currency})", form.Find("label[for='" + form.Find("[data-testid=apply-amount]").Id + "']").TextContent, StringComparison.Ordinal);
        });
        Assert.False(string.IsNullOrWhiteSpace(form.Find("[data-testid=apply-document-hint]").TextContent));
        if (country != "Spain")
        {
            Assert.NotEqual(hintBefore, form.Find("[data-testid=apply-document-hint]").TextContent);
        }
    }

    [Fact]
    public void Typing_an_invalid_document_shows_its_field_error_and_marks_the_input_invalid()
    {
        var form = Render<ApplyForm>(p => p.Add(f => f.InitialCountry, "ES").Add(f => f.Culture, English));

        form.Find("[data-testid=apply-document]").Input("12345678A");

        var error = form.WaitForElement("[data-testid=error-document]");
        Assert.Contains("control letter", error.TextContent, StringComparison.Ordinal);
        var input = form.Find("[data-testid=apply-document]");
        Assert.Equal("true", input.GetAttribute("aria-invalid"));
        Assert.Contains("error-document", input.GetAttribute("aria-describedby"), StringComparison.Ordinal);
        Assert.Empty(form.FindAll("[data-testid=error-full_name]"));
    }

    [Theory]
    [InlineData("en", "15,000.50", "R$15,000.50")]
    [InlineData("pt-BR", "15.000,50", "R$ 15.000,50")]
    [InlineData("es-CO", "15.000,50", "R$ 15.000,50")]
    public void An_amount_is_shown_as_understood_in_the_forms_culture(string culture, string typed, string shown)
    {
        var form = Render<ApplyForm>(p => p.Add(f => f.InitialCountry, "BR").Add(f => f.Culture, CultureInfo.GetCultureInfo(culture)));

        form.Find("[data-testid=apply-amount]").Input(typed);

        form.WaitForAssertion(() =>
        {
            var understood = form.Find("[data-testid=apply-amount-understood]");
            Assert.Contains(shown, understood.TextContent.Replace('\u00A0', ' '), StringComparison.Ordinal);
            Assert.Equal("15000.50", understood.GetAttribute("data-amount"));
        });
    }

    [Fact]
    public void An_amount_the_culture_cannot_read_is_a_field_error_and_nothing_is_shown_as_understood()
    {
        var form = Render<ApplyForm>(p => p.Add(f => f.InitialCountry, "BR").Add(f => f.Culture, English));

        form.Find("[data-testid=apply-amount]").Input("15.000,50");

        form.WaitForAssertion(() => Assert.Contains("thousands separator", form.Find("[data-testid=error-amount]").TextContent, StringComparison.Ordinal));
        Assert.Empty(form.FindAll("[data-testid=apply-amount-understood]"));
    }

    [Fact]
    public void Errors_the_server_sent_back_are_shown_next_to_their_fields()
    {
        var form = Render<ApplyForm>(p => p
            .Add(f => f.InitialCountry, "ES")
            .Add(f => f.ServerErrors, new Dictionary<string, string[]> { ["document"] = ["The control letter does not match the number; please check it."] }));

        Assert.Contains("control letter", form.Find("[data-testid=error-document]").TextContent, StringComparison.Ordinal);
        Assert.Empty(form.FindAll("[data-testid=error-full_name]"));
    }

    [Fact]
    public void The_submit_button_is_disabled_while_a_submission_is_in_flight()
    {
        var form = Render<ApplyForm>(p => p.Add(f => f.Submitting, true));

        Assert.True(form.Find("[data-testid=apply-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public void Submitting_an_empty_form_shows_every_field_error_and_does_not_call_back()
    {
        var submitted = false;
        var form = Render<ApplyForm>(p => p.Add(f => f.OnSubmit, (CreditDesk.Domain.Applications.ApplicationForm _) => submitted = true));

        form.Find("[data-testid=apply-submit]").Click();

        Assert.False(submitted);
        Assert.NotEmpty(form.FindAll("[data-testid=error-full_name]"));
        Assert.NotEmpty(form.FindAll("[data-testid=error-amount]"));
        Assert.NotEmpty(form.FindAll("[data-testid=error-monthly_income]"));
    }
}
