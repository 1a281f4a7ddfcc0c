namespace CreditDesk.Infrastructure.Applications;

/// <summary>One step of an application's history as its applicant reads it: who (a role, never a person or a node) and what happened.</summary>
public sealed record ApplicantStep(DateTimeOffset OccurredAt, string Status, string Who, string What);

/// <summary>
/// What an applicant may see of their own application: the amounts, the status in words and what happens next, and a
/// history in plain language. Never the risk score, bureau data, rule thresholds, staff or node ids, or what staff wrote
/// (staff reasons are for the file; a message meant for the applicant is a separate thing).
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
        "PENDING" => "Received",
        "VALIDATING" => "Being checked",
        "APPROVED" => "Approved",
        "REJECTED" => "Not approved",
        "UNDER_REVIEW" => "Being reviewed by a person",
        "CANCELLED" => "Cancelled",
        "DISBURSED" => "Paid out",
        _ => status,
    };

    public static string WhatNext(string status) => status switch
    {
        "PENDING" or "VALIDATING" => "We are checking your application with the credit bureau. This usually takes a few seconds; this page updates by itself.",
        "APPROVED" => "Your bank will now pay out the loan. We will show here when the money has been sent.",
        "REJECTED" => "We could not approve this application. A person can review the decision: contact us quoting your reference.",
        "UNDER_REVIEW" => "A loan officer is looking at your application. We may ask you for documents; you will see the outcome here.",
        "CANCELLED" => "This application was cancelled. You can submit a new one at any time.",
        "DISBURSED" => "The money has been sent to your account.",
        _ => "",
    };

    private static ApplicantStep Step(AuditEntry entry) => new(entry.OccurredAt, entry.ToStatus, entry.Actor switch
    {
        "applicant" => "You",
        "admin" => "A CreditDesk employee",
        "bank" => "Your bank",
        _ => "CreditDesk",
    }, entry.ToStatus switch
    {
        "PENDING" => "Application submitted",
        "VALIDATING" => "Checks started",
        "CANCELLED" when entry.Actor == "applicant" => "You cancelled the application",
        var status => Describe(status),
    });

    private static string BankEventText(string eventType) => eventType switch
    {
        "account.verified" => "Your bank verified your account.",
        "disbursement.completed" => "Your bank confirmed the money was sent.",
        "disbursement.failed" => "The transfer could not be completed; we are looking into it.",
        _ => "Your bank sent us an update.",
    };
}
