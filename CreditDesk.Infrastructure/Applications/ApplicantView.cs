namespace CreditDesk.Infrastructure.Applications;

/// <summary>One step of an application's history as its applicant reads it: who (a role, never a person or a node) and what happened,
/// both as keys of the screens' texts (<c>Applicant.Who.*</c>, <c>Applicant.What.*</c>).</summary>
public sealed record ApplicantStep(DateTimeOffset OccurredAt, string Status, string Who, string What);

/// <summary>
/// What an applicant may see of their own application: the amounts, the status in words and what happens next, and a
/// history in plain language. Never the risk score, bureau data, rule thresholds, staff or node ids, or what staff wrote
/// (staff reasons are for the file; a message meant for the applicant is a separate thing). Its words are keys of the
/// screens' texts (DeskText), so each applicant reads them in their own language.
/// </summary>
public sealed record ApplicantView(
    ApplicationSummary Summary, string StatusText, string NextSteps, IReadOnlyList<ApplicantStep> History, IReadOnlyList<string> BankEvents,
    IReadOnlyList<string> Reasons)
{
    /// <summary>A DeskText key: what a person does about this decision (see <see cref="HumanReviewFor"/>).</summary>
    public string? HumanReview => HumanReviewFor(Summary.Status);

    public static ApplicantView From(
        ApplicationSummary summary, IReadOnlyList<AuditEntry> audit, IReadOnlyList<WebhookEventView> bankEvents, IReadOnlyList<Domain.Decisions.RuleResult> rules) => new(
        summary with { RiskScore = null, AssignedTo = null },
        Describe(summary.Status),
        WhatNext(summary.Status),
        HistoryOf(audit),
        bankEvents.Where(e => e.Outcome == "processed").Select(e => BankEventText(e.EventType)).ToList(),
        ReasonsFor(summary.Status, rules));

    /// <summary>
    /// The principal reasons (DeskText keys <c>Reason.*</c>), for a rejected application or one a person is reviewing;
    /// none otherwise. The applicant is also told a person can review the decision (<c>Applicant.HumanReview</c>).
    /// </summary>
    public static IReadOnlyList<string> ReasonsFor(string status, IReadOnlyList<Domain.Decisions.RuleResult> rules) => status switch
    {
        "REJECTED" => Domain.Decisions.PrincipalReasons.For(rules).Select(code => $"Reason.{code}").ToList(),
        // Why it went to a person; sent there by hand (no rule), there is nothing more to say than the status does.
        "UNDER_REVIEW" => Domain.Decisions.PrincipalReasons.For(rules).Where(code => code != Domain.Decisions.PrincipalReasons.DecidedOnReview)
            .Select(code => $"Reason.{code}").ToList(),
        _ => [],
    };

    /// <summary>What the applicant is told about a person's part: a rejection can be reviewed; a review is under way.</summary>
    public static string? HumanReviewFor(string status) => status switch
    {
        "REJECTED" => "Applicant.HumanReview",
        "UNDER_REVIEW" => "Applicant.BeingReviewed",
        _ => null,
    };

    /// <summary>The history by role, in plain words.</summary>
    public static IReadOnlyList<ApplicantStep> HistoryOf(IReadOnlyList<AuditEntry> audit) => audit.Select(Step).ToList();

    public static string Describe(string status) => status switch
    {
        "PENDING" or "VALIDATING" or "APPROVED" or "REJECTED" or "UNDER_REVIEW" or "CANCELLED" or "DISBURSED" => $"Applicant.Status.{status}",
        _ => "Applicant.Status.Unknown",
    };

    public static string WhatNext(string status) => status switch
    {
        "PENDING" or "VALIDATING" => "Applicant.Next.Checking",
        "APPROVED" or "REJECTED" or "UNDER_REVIEW" or "CANCELLED" or "DISBURSED" => $"Applicant.Next.{status}",
        _ => "Applicant.Next.Unknown",
    };

    private static ApplicantStep Step(AuditEntry entry) => new(entry.OccurredAt, entry.ToStatus, entry.Actor switch
    {
        "applicant" => "Applicant.Who.You",
        "admin" or "officer" => "Applicant.Who.Employee",
        "bank" => "Applicant.Who.Bank",
        _ => "Applicant.Who.CreditDesk",
    }, entry.ToStatus switch
    {
        "PENDING" => "Applicant.What.Submitted",
        "VALIDATING" => "Applicant.What.ChecksStarted",
        "CANCELLED" when entry.Actor == "applicant" => "Applicant.What.YouCancelled",
        var status => Describe(status),
    });

    private static string BankEventText(string eventType) => eventType switch
    {
        "account.verified" => "Applicant.Bank.AccountVerified",
        "disbursement.completed" => "Applicant.Bank.Disbursed",
        "disbursement.failed" => "Applicant.Bank.DisbursementFailed",
        _ => "Applicant.Bank.Other",
    };
}
