using System.Globalization;
using Bunit;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Web.Components.Applications;

namespace CreditDesk.Tests.Components;

/// <summary>The apply form and the detail speak the reader's language and write numbers, money and dates their way, money always in the application's own currency.</summary>
public sealed class LocalizedFormatsTests : DeskComponentContext
{
    private static readonly DateTimeOffset Submitted = new(2026, 11, 22, 14, 5, 9, TimeSpan.Zero);

    private static readonly ApplicationDetail Colombian = DetailViewTests.Colombian(Submitted);

    [Fact]
    public void A_Brazilian_fills_the_apply_form_in_Portuguese_and_reads_amounts_in_reais()
    {
        Speak("pt-BR");
        var form = Render<ApplyForm>(p => p.Add(f => f.InitialCountry, "BR"));

        form.Find("[data-testid=apply-amount]").Input("15.000,50");
        form.Find("[data-testid=apply-income]").Input("7.000");
        form.Find("[data-testid=apply-term]").Input("48");
        form.Find("[data-testid=apply-document]").Input("529");

        form.WaitForAssertion(() => Assert.Equal("Entendido como R$ 15.000,50", Text(form.Find("[data-testid=apply-amount-understood]"))));
        Assert.Equal("15000.50", form.Find("[data-testid=apply-amount-understood]").GetAttribute("data-amount"));
        Assert.StartsWith("Parcela mensal estimada: R$ ", Text(form.Find("[data-testid=apply-payment]")), StringComparison.Ordinal);
        // R$ 15 000,50 over 48 months at Brazil's 42 % band: the annuity and the CET with IOF, written the Brazilian way.
        var quote = CreditDesk.Domain.Countries.CountryRegistry.Get("BR").Product.Quote(15_000.50m, 48);
        Assert.Equal($"Parcela mensal estimada: {CreditDesk.Domain.MoneyText.Format(quote.MonthlyPayment, "BRL", CultureInfo.GetCultureInfo("pt-BR"))}".Replace('\u00A0', ' '),
            Text(form.Find("[data-testid=apply-payment]")));
        Assert.Equal("42,00%", Text(form.Find("[data-testid=apply-rate]")));
        Assert.Contains("CET (custo efetivo total anual)", form.Markup, StringComparison.Ordinal);
        Assert.Equal(quote.CostFigurePercent.ToString(CultureInfo.InvariantCulture), form.Find("[data-testid=apply-quote]").GetAttribute("data-apr"));
        Assert.Contains("Valor solicitado (BRL)", form.Markup, StringComparison.Ordinal);
        Assert.Equal("O CPF tem exatamente 11 dígitos.", Text(form.Find("[data-testid=error-document]")));
        Assert.Equal("11 dígitos, por exemplo 529.982.247-25.", Text(form.Find("[data-testid=apply-document-hint]")));
        Assert.Equal("Enviar solicitação", Text(form.Find("[data-testid=apply-submit]")));
    }

    [Fact]
    public void A_Colombian_fills_the_apply_form_in_Spanish_with_pesos_and_an_amount_written_the_English_way_is_refused_in_Spanish()
    {
        Speak("es-CO");
        var form = Render<ApplyForm>(p => p.Add(f => f.InitialCountry, "CO"));

        form.Find("[data-testid=apply-amount]").Input("5.000.000,50");
        form.WaitForAssertion(() => Assert.Equal("Entendido como $ 5.000.000,50", Text(form.Find("[data-testid=apply-amount-understood]"))));
        Assert.Contains("Importe solicitado (COP)", form.Markup, StringComparison.Ordinal);

        form.Find("[data-testid=apply-amount]").Input("5,000,000.50");
        form.WaitForAssertion(() => Assert.Equal("Escriba el importe solo con dígitos, como 15.000,50.",
            Text(form.Find("[data-testid=error-amount]"))));
        Assert.Empty(form.FindAll("[data-testid=apply-amount-understood]"));
    }

    [Fact]
    public void The_document_hint_is_in_the_countrys_language_until_the_person_chooses_one()
    {
        Speak("en");
        var unchosen = Render<ApplyForm>(p => p.Add(f => f.InitialCountry, "BR"));
        var chosen = Render<ApplyForm>(p => p.Add(f => f.InitialCountry, "BR").AddCascadingValue("LanguageChosen", true));

        Assert.Equal("11 dígitos, por exemplo 529.982.247-25.", Text(unchosen.Find("[data-testid=apply-document-hint]")));
        Assert.Equal("pt-BR", unchosen.Find("[data-testid=apply-document-hint]").GetAttribute("lang"));
        Assert.Equal("11 digits, e.g. 529.982.247-25.", Text(chosen.Find("[data-testid=apply-document-hint]")));
    }

    [Fact]
    public void The_detail_reads_in_Brazilian_Portuguese_with_the_applications_own_currency()
    {
        Speak("pt-BR");
        var view = Render<ApplicationDetailView>(p => p.Add(v => v.Detail, Colombian));

        Assert.Equal("COP 5.000.000,00", Text(view.Find("[data-testid=detail-amount]")));
        Assert.Equal("36 meses", Text(view.Find("[data-testid=detail-term]")));
        Assert.Equal("22/11/2026 14:05:09 UTC", Text(view.Find("[data-testid=detail-submitted]")));
        Assert.Equal("Em análise", Text(view.Find("[data-testid=detail-status]")));
        Assert.Equal("10,8%", Text(view.Find("[data-testid=rule-observed-payment_to_income]")));
        Assert.Equal("< COP 1.500.000,00", Text(view.Find("[data-testid=rule-threshold-minimum_income]")));
        Assert.Contains("Pontuação de crédito abaixo do mínimo", view.Find("[data-rule=bureau_score]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_detail_reads_in_Colombian_Spanish_with_pesos_written_at_home()
    {
        Speak("es-CO");
        var view = Render<ApplicationDetailView>(p => p.Add(v => v.Detail, Colombian));

        Assert.Equal("$ 5.000.000,00", Text(view.Find("[data-testid=detail-amount]")));
        Assert.Equal("36 meses", Text(view.Find("[data-testid=detail-term]")));
        Assert.StartsWith("22/11/2026", Text(view.Find("[data-testid=detail-submitted]")), StringComparison.Ordinal);
        Assert.Equal("En revisión", Text(view.Find("[data-testid=detail-status]")));
        Assert.Equal("10,8 %", Text(view.Find("[data-testid=rule-observed-payment_to_income]")));
        Assert.Equal("< $ 1.500.000,00", Text(view.Find("[data-testid=rule-threshold-minimum_income]")));
    }

    [Fact]
    public void The_audit_says_what_the_desk_wrote_in_the_readers_language_and_what_a_person_wrote_as_written()
    {
        Speak("es-CO");
        IReadOnlyList<AuditEntry> audit =
        [
            new(Submitted, null, "PENDING", "applicant", "u-1", "Application submitted"),
            new(Submitted, "PENDING", "VALIDATING", "system", "node-1", "Processing started"),
            new(Submitted, "VALIDATING", "UNDER_REVIEW", "system", "node-1", "Automatic decision, risk score 72; failed: payment_to_income, risk_score"),
            new(Submitted, "UNDER_REVIEW", "APPROVED", "admin", "admin-1", "Payslips checked by phone"),
        ];

        var view = Render<ApplicationDetailView>(p => p.Add(v => v.Detail, Colombian).Add(v => v.Audit, audit));

        var timeline = Text(view.Find("[data-testid=detail-audit]"));
        Assert.Contains("Solicitud enviada", timeline, StringComparison.Ordinal);
        Assert.Contains("Tramitación iniciada", timeline, StringComparison.Ordinal);
        Assert.Contains("Decisión automática, puntuación de riesgo 72; no superadas: Cuota estimada demasiado alta para los ingresos mensuales, Puntuación de riesgo alta",
            timeline, StringComparison.Ordinal);
        Assert.Contains("Payslips checked by phone", timeline, StringComparison.Ordinal);
        Assert.DoesNotContain("Automatic decision", timeline, StringComparison.Ordinal);
    }

    private static void Speak(string culture) =>
        (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (CultureInfo.GetCultureInfo(culture), CultureInfo.GetCultureInfo(culture));

    /// <summary>Text as a person reads it: no-break spaces are spaces, runs of white space one.</summary>
    private static string Text(AngleSharp.Dom.IElement element) =>
        System.Text.RegularExpressions.Regex.Replace(element.TextContent.Replace('\u00A0', ' ').Replace('\u202F', ' '), @"\s+", " ").Trim();
}
