namespace CreditDesk.Domain.Decisions;

/// <summary>What failing a rule does to the application.</summary>
public enum RuleSeverity
{
    Reject,
    Review,
}

public enum RuleOutcome
{
    Passed,
    Failed,
    /// <summary>The rule needs bureau data that was not available (fallback report).</summary>
    NotAssessed,
}

/// <summary>The condition under which a rule fails: observed value compared with the threshold.</summary>
public enum FailsWhen
{
    Below,
    AtLeast,
    Above,
    Equal,
}

/// <summary>One rule's verdict with the numbers it compared, stored and shown as they were.</summary>
public sealed record RuleResult(
    string Name,
    RuleSeverity Severity,
    RuleOutcome Outcome,
    decimal? Observed,
    FailsWhen FailsWhen,
    decimal Threshold,
    string Description)
{
    public bool Failed => Outcome == RuleOutcome.Failed;
}

/// <summary>Builds rule results so each country's policy reads as a list of its thresholds.</summary>
public static class Rule
{
    public static RuleResult Reject(string name, decimal observed, FailsWhen failsWhen, decimal threshold, string description) =>
        Evaluate(name, RuleSeverity.Reject, observed, failsWhen, threshold, description);

    public static RuleResult Review(string name, decimal observed, FailsWhen failsWhen, decimal threshold, string description) =>
        Evaluate(name, RuleSeverity.Review, observed, failsWhen, threshold, description);

    /// <summary>A rule that needs the bureau's data: not assessed when the report is a fallback.</summary>
    public static RuleResult FromBureau(Assessment assessment, RuleSeverity severity, string name, Func<Assessment, decimal> observe,
        FailsWhen failsWhen, decimal threshold, string description) =>
        assessment.Report.IsFallback
            ? new RuleResult(name, severity, RuleOutcome.NotAssessed, null, failsWhen, threshold, description)
            : Evaluate(name, severity, observe(assessment), failsWhen, threshold, description);

    private static RuleResult Evaluate(string name, RuleSeverity severity, decimal observed, FailsWhen failsWhen, decimal threshold, string description)
    {
        var fails = failsWhen switch
        {
            FailsWhen.Below => observed < threshold,
            FailsWhen.AtLeast => observed >= threshold,
            FailsWhen.Above => observed > threshold,
            FailsWhen.Equal => observed == threshold,
            _ => throw new ArgumentOutOfRangeException(nameof(failsWhen), failsWhen, null),
        };
        return new RuleResult(name, severity, fails ? RuleOutcome.Failed : RuleOutcome.Passed, observed, failsWhen, threshold, description);
    }
}
