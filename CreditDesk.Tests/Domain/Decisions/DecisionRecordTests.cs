using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Countries;
using CreditDesk.Domain.Decisions;
using CreditDesk.Domain.Pricing;

namespace CreditDesk.Tests.Domain.Decisions;

public sealed class DecisionRecordTests
{
    private static readonly DateTimeOffset Declared = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Decided = Declared.AddSeconds(2);

    [Fact]
    public void A_policy_version_is_the_same_for_the_same_rules_and_product_and_changes_with_any_rate()
    {
        var spain = CountryRegistry.Get("ES");
        var same = PolicyVersion.Default(spain);
        var dearer = new PolicyVersion(spain, spain.Product with { Bands = [.. spain.Product.Bands.Select(band => band with { NominalAnnualRate = band.NominalAnnualRate + 0.0001m })] });

        Assert.Equal(PolicyVersion.Default(spain).Hash, same.Hash);
        Assert.Matches("^[0-9a-f]{16}$", same.Hash);
        Assert.Equal(same.RulesVersion, dearer.RulesVersion);
        Assert.NotEqual(same.ProductVersion, dearer.ProductVersion);
        Assert.NotEqual(same.Hash, dearer.Hash);
    }

    [Fact]
    public void Every_country_has_its_own_rules_version()
    {
        var versions = CountryRegistry.All.Select(policy => PolicyVersion.Default(policy).RulesVersion).ToList();
        Assert.Equal(versions.Count, versions.Distinct().Count());
    }

    [Fact]
    public void The_rules_version_hashes_the_thresholds_so_changing_one_changes_it()
    {
        var spain = CountryRegistry.Get("ES");
        var stricter = new StricterSpain(spain);

        Assert.NotEqual(PolicyVersion.RulesContent(spain), PolicyVersion.RulesContent(stricter));
        Assert.NotEqual(PolicyVersion.Default(spain).Hash, PolicyVersion.Default(stricter).Hash);
        Assert.Contains("debt_to_income:Reject:AtLeast:0.40", PolicyVersion.RulesContent(spain), StringComparison.Ordinal);
    }

    [Fact]
    public void An_automatic_record_gives_each_input_its_source_and_time_and_each_rule_its_effect()
    {
        var spain = CountryRegistry.Get("ES");
        var version = PolicyVersion.Default(spain);
        var report = new BureauReport("ASNEF-CIRBE", 560, 12_000m, 900m, false, 2_000m, RequestId: "ES-1", PulledAt: Declared.AddSeconds(1));
        var decision = DecisionEngine.Decide(version, new LoanRequest(12_000m, 2_000m, 36), report);

        var record = DecisionRecord.Automatic(version, decision, report, Declared, Decided);

        Assert.True(record.SolelyAutomated);
        Assert.Equal("REJECTED", record.Status);
        Assert.Equal(version.Hash, record.PolicyVersion);
        var inputs = record.Inputs.ToDictionary(input => input.Name);
        Assert.Equal((InputSource.Declared, Declared), (inputs["requested_amount"].Source, inputs["requested_amount"].At!.Value));
        Assert.Equal((InputSource.Bureau, Declared.AddSeconds(1)), (inputs["bureau_score"].Source, inputs["bureau_score"].At!.Value));
        Assert.Equal(InputSource.Computed, inputs["monthly_payment"].Source);
        Assert.Equal(decision.Request.MonthlyPayment!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), inputs["monthly_payment"].Value);
        var score = record.Rules.Single(rule => rule.Name == "bureau_score");
        Assert.Equal(("560", "600", RuleOutcome.Failed, "reject"), (score.Input, score.Threshold, score.Result, score.Effect));
        Assert.Equal(DecisionRecord.EffectNone, record.Rules.Single(rule => rule.Name == "active_defaults").Effect);
        Assert.Equal(PrincipalReasons.For(decision.Rules), record.Reasons);
        Assert.Equal(("ES-1", 300, 850), (record.Bureau!.RequestId, record.Bureau.ScoreMin, record.Bureau.ScoreMax));
        Assert.Empty(record.MissingData);
    }

    [Fact]
    public void A_fallback_report_is_recorded_as_missing_data_with_the_rules_it_left_unassessed()
    {
        var spain = CountryRegistry.Get("ES");
        var report = BureauReport.Fallback("ASNEF-CIRBE") with { PulledAt = Declared };
        var decision = DecisionEngine.Decide(spain, new LoanRequest(5_000m, 3_000m, 24), report);

        var record = DecisionRecord.Automatic(PolicyVersion.Default(spain), decision, report, Declared, Decided);

        var missing = Assert.Single(record.MissingData);
        Assert.Equal("bureau_unavailable", missing.Code);
        Assert.Contains("bureau_score", missing.Treatment, StringComparison.Ordinal);
        Assert.All(record.Inputs.Where(input => input.Name == "bureau_score"), input => Assert.Equal(InputSource.Fallback, input.Source));
        Assert.Null(record.Bureau!.RequestId);
        Assert.Equal("UNDER_REVIEW", record.Status);
    }

    [Fact]
    public void Deciding_with_another_product_prices_the_payment_with_that_products_rate()
    {
        var colombia = CountryRegistry.Get("CO");
        var dearer = colombia.Product with { Bands = [new RateBand(decimal.MaxValue, 0.40m)] };
        var report = new BureauReport("DataCrédito", 720, 0m, 0m, false, null);
        var request = new LoanRequest(10_000_000m, 5_000_000m, 24);

        var usual = DecisionEngine.Decide(colombia, request, report);
        var priced = DecisionEngine.Decide(new PolicyVersion(colombia, dearer), request, report);

        Assert.Equal(Amortisation.Payment(10_000_000m, 0.40m, 24), priced.Request.MonthlyPayment);
        Assert.True(priced.Request.MonthlyPayment > usual.Request.MonthlyPayment);
    }

    /// <summary>Spain with a debt-to-income limit five points lower: the same code, one threshold changed.</summary>
    private sealed class StricterSpain(ICountryPolicy spain) : ICountryPolicy
    {
        public string Code => spain.Code;
        public string Language => spain.Language;
        public string Currency => spain.Currency;
        public string DocumentName => spain.DocumentName;
        public string DocumentPlaceholder => spain.DocumentPlaceholder;
        public string BureauName => spain.BureauName;
        public CreditDesk.Domain.Documents.IDocumentValidator Document => spain.Document;
        public LoanProduct Product => spain.Product;

        public IReadOnlyList<RuleResult> Evaluate(Assessment a) =>
            [.. spain.Evaluate(a).Select(rule => rule.Name == "debt_to_income" ? rule with { Threshold = 0.35m } : rule)];
    }
}
