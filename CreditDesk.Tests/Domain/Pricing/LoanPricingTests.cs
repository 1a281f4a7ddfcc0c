using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Countries;
using CreditDesk.Domain.Decisions;
using CreditDesk.Domain.Pricing;

namespace CreditDesk.Tests.Domain.Pricing;

public sealed class LoanPricingTests
{
    public static TheoryData<string, decimal, int> Loans => new()
    {
        { "ES", 9_000m, 24 }, { "ES", 45_000m, 84 }, { "PT", 12_500m, 36 }, { "IT", 30_000m, 60 },
        { "MX", 150_000m, 24 }, { "CO", 5_000_000m, 36 }, { "CO", 150_000_000m, 84 }, { "BR", 20_000m, 6 }, { "BR", 250_000m, 72 },
    };

    [Theory]
    [InlineData(10_000, 0.12, 12, 888.49)]     // the textbook annuity: 10 000 at 12 % a year over 12 months
    [InlineData(200_000, 0.06, 360, 1_199.10)] // a 30-year mortgage at 6 %: 1 199.10 a month
    [InlineData(1_200, 0, 12, 100.00)]          // no interest: the amount over the term
    public void The_annuity_is_the_French_formula_to_the_cent(decimal amount, decimal rate, int months, decimal expected)
    {
        Assert.Equal(expected, Amortisation.Payment(amount, rate, months));
    }

    [Theory]
    [MemberData(nameof(Loans))]
    public void Every_instalment_but_the_last_is_the_annuity_the_last_clears_the_balance_and_they_sum_to_the_total_repayable(string country, decimal amount, int months)
    {
        var quote = CountryRegistry.Get(country).Product.Quote(amount, months);

        Assert.Equal(months, quote.Schedule.Count);
        Assert.All(quote.Schedule.SkipLast(1), instalment => Assert.Equal(quote.MonthlyPayment, instalment.Payment));
        Assert.All(quote.Schedule, instalment => Assert.Equal(instalment.Payment, instalment.Interest + instalment.Principal));
        Assert.Equal(0m, quote.Schedule[^1].Balance);
        Assert.Equal(amount, quote.Schedule.Sum(instalment => instalment.Principal));
        Assert.Equal(quote.TotalRepayable, quote.Schedule.Sum(instalment => instalment.Payment));
        Assert.InRange(Math.Abs(quote.Schedule[^1].Payment - quote.MonthlyPayment), 0m, 1m);
        Assert.Equal(Amortisation.Payment(amount, quote.AnnualInterestRate, months), quote.MonthlyPayment);
    }

    [Theory]
    [MemberData(nameof(Loans))]
    public void The_cost_figure_is_never_below_the_nominal_rate(string country, decimal amount, int months)
    {
        var quote = CountryRegistry.Get(country).Product.Quote(amount, months);

        Assert.True(quote.CostFigureRate >= quote.AnnualInterestRate, $"{quote.CostFigurePercent} % < {quote.AnnualInterestPercent} %");
    }

    [Fact]
    public void The_EU_equation_reproduces_the_first_worked_example_of_Directive_98_7_EC_Annex_III()
    {
        // 1 000 lent on 1 January 1994, repaid with a single 1 200 on 1 July 1995, 546 days later (calendar basis):
        // the Directive gives 12.96 % to two decimals.
        var rate = CostOfCredit.AnnualRate(1_000m, [(1_200m, 546d / 365d)]);

        Assert.Equal(12.96m, Math.Round(rate * 100m, 2, MidpointRounding.AwayFromZero));
    }

    [Fact]
    public void The_CET_equation_reproduces_the_Banco_Central_do_Brasils_worked_example()
    {
        // Banco Central do Brasil, FAQ "Custo Efetivo Total (CET)" (Resolução CMN 3.517/2007), as reproduced at
        // https://trabalhosfeitos.com/ensaios/Custo-Efetivo-Da-Folha-De-Pagamento/689429.html: R$ 1 000,00 financed at
        // 12 % a year (0,95 % a month) over 5 months, instalments of R$ 205,73; a R$ 50,00 registration fee and R$ 10,00
        // of IOF paid at the start, so FC0 = R$ 940,00. The Banco Central gives CET = 43,93 % a year, 3,08 % a month.
        var monthly = (decimal)(Math.Pow(1.12, 1d / 12) - 1);
        var instalments = Amortisation.Schedule(1_000m, monthly * 12, 5).Select(instalment => instalment.Payment).ToList();

        var rate = CostOfCredit.AnnualRate(1_000m - 50m - 10m, instalments);

        Assert.Equal(205.73m, instalments[0]);
        Assert.Equal(43.93m, Math.Round(rate * 100m, 2, MidpointRounding.AwayFromZero));
        Assert.Equal(3.08m, Math.Round(((decimal)Math.Pow(1 + (double)rate, 1d / 12) - 1) * 100m, 2, MidpointRounding.AwayFromZero));
    }

    [Fact]
    public void The_CAT_equation_reproduces_Banxicos_worked_example()
    {
        // Banco de México's example for the CAT (support document of Circular 21/2009), as quoted by the open-source
        // vifinance project (github.com/visvs/vifinance, src/lib/finance/cat.ts, which validates against it): a credit
        // of $15,000 repaid in 24 monthly payments of $962.33 with a $100 fee paid at signing has CAT = 57.4 %
        // (Banxico publishes the CAT with one decimal; the equation gives 57.36 %). No VAT: the CAT excludes it.
        var payments = Enumerable.Repeat(962.33m, 24).ToList();

        var rate = CostOfCredit.AnnualRate(15_000m - 100m, payments);

        Assert.Equal(57.4m, Math.Round(rate * 100m, 1, MidpointRounding.AwayFromZero));
        Assert.Equal(57.36m, Math.Round(rate * 100m, 2, MidpointRounding.AwayFromZero));
    }

    [Fact]
    public void The_effective_annual_rate_reproduces_the_Colombian_supervisors_conversion()
    {
        // Superintendencia Bancaria de Colombia (today the Superintendencia Financiera), Circular Externa 68 de 2000, on
        // Banco de la República's Resolución 14 de 2000 (copy at legal.legis.com.co): "13.1 puntos porcentuales nominales
        // anuales, pagaderos mes vencido [...] es decir, el 13.92% efectivo anual". A loan at 13.1 % nominal with no fees:
        // its cash flows' effective annual rate is that figure (a large amount, so cents of rounding do not show).
        var payments = Amortisation.Schedule(100_000_000m, 0.131m, 12).Select(instalment => instalment.Payment).ToList();

        var rate = CostOfCredit.AnnualRate(100_000_000m, payments);

        Assert.Equal(13.92m, Math.Round(rate * 100m, 2, MidpointRounding.AwayFromZero));
    }

    [Fact]
    public void A_quote_asked_again_is_the_same_answer_and_a_product_with_other_terms_is_priced_afresh()
    {
        var spain = CountryRegistry.Get("ES").Product;
        var first = spain.Quote(12_000m, 36);

        Assert.Same(first, spain.Quote(12_000m, 36));
        Assert.Equal(first.CostFigureRate, spain.Quote(12_000.00m, 36).CostFigureRate);
        Assert.Equal("12000.00", spain.Quote(12_000.00m, 36).Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var dearer = spain with { OpeningFeeRate = spain.OpeningFeeRate + 0.01m };
        Assert.True(dearer.Quote(12_000m, 36).CostFigureRate > first.CostFigureRate);
    }

    [Fact]
    public void Without_fees_the_cost_figure_is_the_nominal_rate_compounded_monthly()
    {
        var payments = Amortisation.Schedule(12_000m, 0.09m, 48).Select(instalment => instalment.Payment).ToList();

        var rate = CostOfCredit.AnnualRate(12_000m, payments);

        // (1 + 0.09 / 12)^12 − 1 = 9.3807 %; instalments rounded to cents move it by less than 0.01 points.
        Assert.Equal(9.38m, Math.Round(rate * 100m, 2, MidpointRounding.AwayFromZero));
    }

    [Fact]
    public void Fees_and_Brazils_IOF_raise_the_cost_figure()
    {
        var spain = CountryRegistry.Get("ES").Product;
        var noFee = spain with { OpeningFeeRate = 0m };
        var brazil = CountryRegistry.Get("BR").Product.Quote(20_000m, 24);

        Assert.True(spain.Quote(20_000m, 36).CostFigureRate > noFee.Quote(20_000m, 36).CostFigureRate);
        Assert.True(brazil.Taxes > 0m);
        Assert.True(brazil.CostFigureRate > (decimal)Math.Pow(1 + (double)brazil.AnnualInterestRate / 12, 12) - 1);
    }

    [Fact]
    public void A_products_version_is_stable_for_its_content_and_changes_with_it()
    {
        var product = CountryRegistry.Get("IT").Product;

        Assert.Equal(product.Version, (product with { }).Version);
        Assert.NotEqual(product.Version, (product with { OpeningFeeRate = 0.02m }).Version);
        Assert.Equal(12, product.Version.Length);
    }

    [Fact]
    public void A_products_version_is_the_same_in_every_readers_language_and_the_older_comma_hash_still_finds_its_terms()
    {
        var brazil = CountryRegistry.Get("BR").Product;
        var invariant = brazil.Version;
        var before = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            foreach (var language in new[] { "pt-BR", "es-ES", "it-IT", "en-GB" })
            {
                System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo(language);
                Assert.Equal(invariant, brazil.Version);
            }
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = before;
        }

        // Until 2026-11-23 the hash followed the thread's language: the Products page in Portuguese stored Brazil's
        // product of 2026-11-01 as 9fb6438c69f4 (and applications submitted in es/pt/it recorded such hashes).
        // A change to Brazil's product file changes both values below.
        Assert.Equal("2a6e4f58dfa3", invariant);
        Assert.Equal("9fb6438c69f4", brazil.CommaDecimalVersion);
        Assert.Same(brazil, LoanProducts.Find(brazil.CommaDecimalVersion));
        Assert.Same(brazil, LoanProducts.For("BR", "9fb6438c69f4"));
    }

    [Fact]
    public void Debt_to_income_uses_the_annuity_payment_not_amount_over_term()
    {
        var spain = CountryRegistry.Get("ES");
        var request = new LoanRequest(20_000m, 3_000m, 36);
        var report = new BureauReport("ASNEF-CIRBE", 700, 5_000m, 400m, false, 3_000m);
        var annuity = Amortisation.Payment(20_000m, spain.Product.NominalRateFor(20_000m), 36);

        var decision = DecisionEngine.Decide(spain, request, report);

        var dti = decision.Rules.Single(rule => rule.Name == "debt_to_income");
        Assert.Equal((400m + annuity) / 3_000m, dti.Observed);
        Assert.NotEqual((400m + Math.Round(20_000m / 36, 2)) / 3_000m, dti.Observed);
    }

    [Fact]
    public void Every_cost_figure_has_a_name_on_the_screens()
    {
        foreach (var figure in Enum.GetValues<CostFigure>())
        {
            Assert.NotNull(CreditDesk.Web.Localization.DeskText.Resources.GetString($"Pricing.Figure.{figure}", System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
