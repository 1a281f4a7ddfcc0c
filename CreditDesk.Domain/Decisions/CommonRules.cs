namespace CreditDesk.Domain.Decisions;

/// <summary>The rules several countries share, each parameterised by that country's named threshold.</summary>
public static class CommonRules
{
    public static RuleResult MinimumIncome(Assessment a, decimal minimum) =>
        Rule.Reject("minimum_income", a.Request.MonthlyIncome, FailsWhen.Below, minimum, "Monthly income below the minimum");

    public static RuleResult MaximumAmount(Assessment a, decimal maximum) =>
        Rule.Reject("maximum_amount", a.Request.Amount, FailsWhen.Above, maximum, "Requested amount above the maximum");

    public static RuleResult AmountWithinAnnualIncome(Assessment a, decimal multiple) =>
        Rule.Reject("amount_to_annual_income", a.Request.Amount, FailsWhen.Above, multiple * a.Request.AnnualIncome,
            $"Requested amount above {multiple:0.##} × annual income");

    public static RuleResult PaymentToIncome(Assessment a, decimal maximum) =>
        Rule.Reject("payment_to_income", a.Request.PaymentToIncome, FailsWhen.Above, maximum,
            "Estimated payment too high for the monthly income");

    public static RuleResult DebtToIncome(Assessment a, FailsWhen failsWhen, decimal limit) =>
        Rule.FromBureau(a, RuleSeverity.Reject, "debt_to_income", x => x.DebtToIncome, failsWhen, limit,
            "Debt-to-income (bureau obligations + estimated payment) too high");

    public static RuleResult MinimumScore(Assessment a, int minimum) =>
        Rule.FromBureau(a, RuleSeverity.Reject, "bureau_score", x => x.Report.Score, FailsWhen.Below, minimum, "Credit score below the minimum");

    public static RuleResult NoActiveDefaults(Assessment a) =>
        Rule.FromBureau(a, RuleSeverity.Reject, "active_defaults", x => x.Report.HasActiveDefaults ? 1 : 0, FailsWhen.Equal, 1,
            "Active defaults reported by the bureau");
}
