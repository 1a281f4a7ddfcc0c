using CreditDesk.Web.Components.Applications;

namespace CreditDesk.Tests.Components;

public sealed class ApplyFormRenderingTests
{
    [Theory]
    [InlineData("ES", "DNI / NIE", "12345678Z", "EUR")]
    [InlineData("PT", "NIF", "123456789", "EUR")]
    [InlineData("IT", "Codice Fiscale", "RSSMRA85T10A562S", "EUR")]
    [InlineData("MX", "CURP", "HEGG560427MVZRRL04", "MXN")]
    [InlineData("CO", "Cédula de ciudadanía", "1020304050", "COP")]
    [InlineData("BR", "CPF", "529.982.247-25", "BRL")]
    public async Task The_country_drives_the_document_label_placeholder_hint_and_currency(string country, string document, string placeholder, string currency)
    {
        var page = await ComponentRenderer.RenderAsync<ApplyForm>(new() { ["Country"] = country });

        Assert.Contains(document, page.QuerySelector("[data-testid=apply-document-label]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(placeholder, page.QuerySelector("[data-testid=apply-document]")!.GetAttribute("placeholder"));
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("[data-testid=apply-document-hint]")!.TextContent));
        Assert.Contains($"({currency})", page.QuerySelector("[data-testid=apply-amount-label]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_the_server_sent_back_are_shown_next_to_their_fields()
    {
        var page = await ComponentRenderer.RenderAsync<ApplyForm>(new()
        {
            ["Country"] = "ES",
            ["ServerErrors"] = new Dictionary<string, string[]> { ["document"] = ["The control letter does not match the number; please check it."] },
        });

        Assert.Contains("control letter", page.QuerySelector("[data-testid=error-document]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("[data-testid=error-full_name]"));
    }

    [Fact]
    public async Task The_submit_button_is_disabled_while_a_submission_is_in_flight()
    {
        var page = await ComponentRenderer.RenderAsync<ApplyForm>(new() { ["Submitting"] = true });

        Assert.True(page.QuerySelector("[data-testid=apply-submit]")!.HasAttribute("disabled"));
    }
}
