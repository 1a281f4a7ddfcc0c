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
public sealed record ApplicantView(ApplicationSummary Summary, string StatusText, string NextSteps, IReadOnlyList<ApplicantStep> History, IReadOnlyList<string> BankEvents)
{
    public static ApplicantView From(ApplicationSummary summary, IReadOnlyList<AuditEntry> audit, IReadOnlyList<WebhookEventView> bankEvents) => new(
        summary with { RiskScore = null },
        Describe(summary.Status),
        WhatNext(summary.Status),
        HistoryOf(audit),
        bankEvents.Where(e => e.Outcome == "processed").Select(e => BankEventText(e.EventType)).ToList());

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
        "admin" => "Applicant.Who.Employee",
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
