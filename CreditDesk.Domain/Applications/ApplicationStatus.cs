namespace CreditDesk.Domain.Applications;

public enum ApplicationStatus
{
    Pending,
    Validating,
    Approved,
    Rejected,
    UnderReview,
    Cancelled,
    Disbursed,
}

public static class ApplicationStatusCodes
{
    private static readonly Dictionary<string, ApplicationStatus> ByCode =
        Enum.GetValues<ApplicationStatus>().ToDictionary(ToCode, status => status, StringComparer.OrdinalIgnoreCase);

    /// <summary>The wire and storage code, e.g. <c>UNDER_REVIEW</c>.</summary>
    public static string ToCode(this ApplicationStatus status) => status switch
    {
        ApplicationStatus.Pending => "PENDING",
        ApplicationStatus.Validating => "VALIDATING",
        ApplicationStatus.Approved => "APPROVED",
        ApplicationStatus.Rejected => "REJECTED",
        ApplicationStatus.UnderReview => "UNDER_REVIEW",
        ApplicationStatus.Cancelled => "CANCELLED",
        ApplicationStatus.Disbursed => "DISBURSED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? code, out ApplicationStatus status) =>
        ByCode.TryGetValue(code?.Trim() ?? "", out status);

    public static bool IsFinal(this ApplicationStatus status) =>
        status is ApplicationStatus.Rejected or ApplicationStatus.Cancelled or ApplicationStatus.Disbursed;

    public static IReadOnlyList<string> AllCodes { get; } = Enum.GetValues<ApplicationStatus>().Select(ToCode).ToArray();
}
