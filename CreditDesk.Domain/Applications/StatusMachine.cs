namespace CreditDesk.Domain.Applications;

/// <summary>Who asks for a status change.</summary>
public enum Actor
{
    System,
    Admin,
    Applicant,
    Bank,

    /// <summary>A loan officer: makes no lifecycle move, except reopening a rejection through a human review the applicant asked for.</summary>
    Officer,
}

/// <summary>The lifecycle of SPEC §3: which status may follow which, and who may make each move.</summary>
public static class StatusMachine
{
    private static readonly HashSet<(ApplicationStatus From, ApplicationStatus To, Actor Actor)> Allowed =
    [
        (ApplicationStatus.Pending, ApplicationStatus.Validating, Actor.System),
        (ApplicationStatus.Validating, ApplicationStatus.Approved, Actor.System),
        (ApplicationStatus.Validating, ApplicationStatus.Rejected, Actor.System),
        (ApplicationStatus.Validating, ApplicationStatus.UnderReview, Actor.System),

        (ApplicationStatus.Pending, ApplicationStatus.Cancelled, Actor.Applicant),

        (ApplicationStatus.Pending, ApplicationStatus.Cancelled, Actor.Admin),
        (ApplicationStatus.UnderReview, ApplicationStatus.Approved, Actor.Admin),
        (ApplicationStatus.UnderReview, ApplicationStatus.Rejected, Actor.Admin),
        (ApplicationStatus.Approved, ApplicationStatus.UnderReview, Actor.Admin),
        (ApplicationStatus.Approved, ApplicationStatus.Cancelled, Actor.Admin),

        (ApplicationStatus.Approved, ApplicationStatus.Disbursed, Actor.Bank),
        (ApplicationStatus.Approved, ApplicationStatus.UnderReview, Actor.Bank),
    ];

    public static bool CanMove(ApplicationStatus from, ApplicationStatus to, Actor actor) => Allowed.Contains((from, to, actor));

    /// <summary>The statuses <paramref name="actor"/> may move an application in <paramref name="from"/> to, in lifecycle order.</summary>
    public static IReadOnlyList<ApplicationStatus> NextStatuses(ApplicationStatus from, Actor actor) =>
        Enum.GetValues<ApplicationStatus>().Where(to => Allowed.Contains((from, to, actor))).ToArray();

    /// <summary>Refuses anything the lifecycle does not allow; manual (admin) moves must say why.</summary>
    public static void EnsureCanMove(ApplicationStatus from, ApplicationStatus to, Actor actor, string? reason)
    {
        if (!CanMove(from, to, actor))
        {
            throw new DomainException(DomainError.InvalidTransition(from.ToCode(), to.ToCode(), actor.ToString().ToLowerInvariant()));
        }
        if (actor == Actor.Admin && string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException(DomainError.ReasonRequired(from.ToCode(), to.ToCode()));
        }
    }
}
