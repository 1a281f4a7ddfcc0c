using System.Globalization;
using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Bureaus;

namespace CreditDesk.Domain.Decisions;

/// <summary>Where an input of a decision came from.</summary>
public static class InputSource
{
    /// <summary>What the applicant said on the form.</summary>
    public const string Declared = "declared";

    /// <summary>What the credit bureau reported.</summary>
    public const string Bureau = "bureau";

    /// <summary>The conservative stand-in used when the bureau could not answer.</summary>
    public const string Fallback = "fallback";

    /// <summary>Worked out from the others (the product's price, the ratios, the risk score).</summary>
    public const string Computed = "computed";
}

/// <summary>One input as it was decided on: its value (invariant text), where it came from, when, and how (for a computed one).</summary>
public sealed record DecisionInput(string Name, string? Value, string Source, DateTimeOffset? At, string? Detail = null);

/// <summary>Which bureau answered, its reference for the pull, the score and its range, and when.</summary>
public sealed record BureauPull(string Name, string? RequestId, int Score, int ScoreMin, int ScoreMax, DateTimeOffset? PulledAt, bool Fallback);

/// <summary>One rule as it was applied: what it looked at, the threshold, the comparison, the result and what the result did.</summary>
public sealed record RuleVerdict(string Name, string? Input, string Threshold, FailsWhen FailsWhen, RuleOutcome Result, string Effect);

/// <summary>Data that was missing or stood in for, and how the decision treated it (a code and the words for a reviewer).</summary>
public sealed record MissingData(string Code, string Treatment);

/// <summary>
/// Everything a regulator or the applicant's reviewer needs to see how an automatic decision was reached, frozen when
/// it was made: the policy version (rules and product), every input with its source and time, every rule with its
/// input, threshold, result and effect, how missing or stand-in data was treated, and the principal reasons the
/// applicant is given (at most four customer-facing codes). Nothing in it is personal data: no name, no document.
/// </summary>
public sealed record DecisionRecord(
    bool SolelyAutomated,
    string Status,
    string PolicyVersion,
    string RulesVersion,
    string ProductVersion,
    int? RiskScore,
    BureauPull? Bureau,
    IReadOnlyList<DecisionInput> Inputs,
    IReadOnlyList<RuleVerdict> Rules,
    IReadOnlyList<MissingData> MissingData,
    IReadOnlyList<string> Reasons)
{
    public const string EffectNone = "none";

    /// <summary>The record of a decision the rules made alone.</summary>
    public static DecisionRecord Automatic(PolicyVersion version, Decision decision, BureauReport report, DateTimeOffset declaredAt, DateTimeOffset decidedAt)
    {
        var request = decision.Request;
        var product = version.Product;
        var rate = product.NominalRateFor(request.Amount);
        List<DecisionInput> inputs =
        [
            new("requested_amount", Text(request.Amount), InputSource.Declared, declaredAt),
            new("monthly_income", Text(request.MonthlyIncome), InputSource.Declared, declaredAt),
            new("term_months", Text(request.TermMonths), InputSource.Declared, declaredAt),
        ];
        var bureauSource = report.IsFallback ? InputSource.Fallback : InputSource.Bureau;
        inputs.AddRange(
        [
            new("bureau_score", Text(report.Score), bureauSource, report.PulledAt),
            new("monthly_obligations", Text(report.MonthlyObligations), bureauSource, report.PulledAt),
            new("total_debt", Text(report.TotalDebt), bureauSource, report.PulledAt),
            new("active_defaults", report.HasActiveDefaults ? "true" : "false", bureauSource, report.PulledAt),
            new("reported_monthly_income", report.ReportedMonthlyIncome is { } income ? Text(income) : null, bureauSource, report.PulledAt),
            new("nominal_annual_rate", Text(rate), InputSource.Computed, decidedAt, $"loan product {product.Version}, band for this amount"),
            new("monthly_payment", Text(request.EstimatedMonthlyPayment), InputSource.Computed, decidedAt,
                $"annuity: amount × i / (1 − (1 + i)^−{request.TermMonths}), i = rate / 12"),
            new("payment_to_income", Text(Math.Round(request.PaymentToIncome, 4)), InputSource.Computed, decidedAt, "monthly_payment / monthly_income"),
            new("debt_to_income", Text(Math.Round(request.DebtToIncome(report.MonthlyObligations), 4)), InputSource.Computed, decidedAt,
                "(monthly_obligations + monthly_payment) / monthly_income"),
            new("risk_score", Text(decision.RiskScore), InputSource.Computed, decidedAt, "0–100 from score, debt-to-income, amount to income and defaults"),
        ]);
        return new DecisionRecord(
            SolelyAutomated: true,
            decision.Status.ToCode(),
            version.Hash, version.RulesVersion, version.ProductVersion,
            decision.RiskScore,
            new BureauPull(report.Provider, report.RequestId, report.Score, BureauReport.MinimumScore, BureauReport.MaximumScore, report.PulledAt, report.IsFallback),
            inputs,
            decision.Rules.Select(Verdict).ToList(),
            Missing(decision, report),
            decision.Status == ApplicationStatus.Approved ? [] : PrincipalReasons.For(decision.Rules));
    }

    /// <summary>The record of a person's decision: not automated, under the policy that decided before, with the reasons of its rules.</summary>
    public static DecisionRecord Manual(string status, DecisionRecord? previous) => new(
        SolelyAutomated: false,
        status,
        previous?.PolicyVersion ?? "", previous?.RulesVersion ?? "", previous?.ProductVersion ?? "",
        previous?.RiskScore,
        previous?.Bureau,
        previous?.Inputs ?? [],
        previous?.Rules ?? [],
        previous?.MissingData ?? [],
        [PrincipalReasons.DecidedOnReview]);

    private static RuleVerdict Verdict(RuleResult rule) => new(
        rule.Name,
        rule.Observed is { } observed ? Text(Math.Round(observed, 4)) : null,
        Text(rule.Threshold),
        rule.FailsWhen,
        rule.Outcome,
        !rule.Failed ? EffectNone : rule.Severity == RuleSeverity.Reject ? "reject" : "review");

    private static List<MissingData> Missing(Decision decision, BureauReport report)
    {
        var missing = new List<MissingData>();
        if (report.IsFallback)
        {
            var skipped = decision.Rules.Where(rule => rule.Outcome == RuleOutcome.NotAssessed).Select(rule => rule.Name);
            missing.Add(new("bureau_unavailable",
                $"The bureau did not answer; a conservative stand-in report was used, the rules that need it were not assessed ({string.Join(", ", skipped)}) and the application went to an officer."));
        }
        else if (report.ReportedMonthlyIncome is null && decision.Rules.Any(rule => rule.Name == "declared_income_matches_bureau"))
        {
            missing.Add(new("bureau_income_missing", "The bureau reported no income; the declared income was treated as confirmed (no difference)."));
        }
        return missing;
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
