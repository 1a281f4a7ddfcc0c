using System.Text.RegularExpressions;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Web.Localization;
using Microsoft.Extensions.Localization;

namespace CreditDesk.Web.Components.Applications;

/// <summary>
/// The reasons the desk writes into the audit itself (stored in English, for the file) said in the reader's language,
/// failed rules by their names; what a person wrote is shown as they wrote it.
/// </summary>
public static partial class AuditReasons
{
    public static string Describe(AuditEntry entry, IStringLocalizer<DeskText> text)
    {
        var reason = entry.Reason ?? "";
        switch (reason)
        {
            case "Application submitted":
                return text["Audit.ApplicationSubmitted"];
            case "Processing started":
                return text["Audit.ProcessingStarted"];
            case "Cancelled by the applicant":
                return text["Audit.CancelledByApplicant"];
        }
        if (AutomaticDecision().Match(reason) is { Success: true } automatic)
        {
            var said = text["Audit.AutomaticDecision", automatic.Groups["score"].Value].Value;
            if (automatic.Groups["failed"].Success)
            {
                var rules = automatic.Groups["failed"].Value.Split(", ").Select(rule => RuleValues.Describe(rule, rule, text));
                said += "; " + text["Audit.FailedRules", string.Join(", ", rules)];
            }
            return said;
        }
        return RetriedDecision().Match(reason) is { Success: true } retried ? text["Audit.RetriedDecision", retried.Groups["score"].Value] : reason;
    }

    [GeneratedRegex(@"^Automatic decision, risk score (?<score>\d+)(?:; failed: (?<failed>[a-z_, ]+))?$")]
    private static partial Regex AutomaticDecision();

    [GeneratedRegex(@"^Dead letter retried: automatic decision, risk score (?<score>\d+)$")]
    private static partial Regex RetriedDecision();
}
