namespace CreditDesk.Domain.Decisions;

/// <summary>
/// The principal reasons for an adverse decision as the applicant reads them: at most four customer-facing codes, most
/// important first — rules that reject before rules that send to review, and within each the order below (what weighs
/// most in a lender's explanation first). Never a threshold, a score or bureau figures: only what kind of reason it was.
/// </summary>
public static class PrincipalReasons
{
    public const int Max = 4;

    /// <summary>When no rule explains it (a person decided): the applicant is told a person reviewed it.</summary>
    public const string DecidedOnReview = "decided_on_review";

    /// <summary>A failed rule this list does not know yet: said generically rather than not at all.</summary>
    public const string OtherPolicy = "other_credit_policy";

    /// <summary>Rule name → customer-facing code, in order of importance.</summary>
    private static readonly (string Rule, string Code)[] ByImportance =
    [
        ("active_defaults", "credit_history_defaults"),
        ("bureau_score", "credit_history_score"),
        ("debt_to_income", "existing_debt_too_high"),
        ("payment_to_income", "payment_too_high_for_income"),
        ("amount_to_annual_income", "amount_too_high_for_income"),
        ("minimum_income", "income_below_minimum"),
        ("maximum_amount", "amount_above_maximum"),
        ("bureau_data_available", "credit_report_unavailable"),
        ("declared_income_matches_bureau", "income_not_confirmed"),
        ("amount_requires_review", "large_amount_checked_by_a_person"),
        ("risk_score", "overall_risk_checked_by_a_person"),
    ];

    public static IReadOnlyList<string> Codes { get; } = [.. ByImportance.Select(entry => entry.Code), OtherPolicy, DecidedOnReview];

    /// <summary>The codes for failed rules, rejecting ones first, at most <see cref="Max"/>; <see cref="DecidedOnReview"/> when none failed.</summary>
    public static IReadOnlyList<string> For(IReadOnlyList<RuleResult> rules)
    {
        var failed = rules.Where(rule => rule.Failed).ToList();
        var codes = failed
            .OrderBy(rule => rule.Severity == RuleSeverity.Reject ? 0 : 1)
            .ThenBy(rule => Importance(rule.Name))
            .Select(rule => CodeOf(rule.Name))
            .Distinct()
            .Take(Max)
            .ToList();
        return codes.Count > 0 ? codes : [DecidedOnReview];
    }

    private static int Importance(string rule)
    {
        var index = Array.FindIndex(ByImportance, entry => entry.Rule == rule);
        return index < 0 ? int.MaxValue : index;
    }

    private static string CodeOf(string rule) => ByImportance.FirstOrDefault(entry => entry.Rule == rule).Code ?? OtherPolicy;
}
