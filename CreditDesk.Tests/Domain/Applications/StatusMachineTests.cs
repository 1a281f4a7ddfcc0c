using CreditDesk.Domain;
using CreditDesk.Domain.Applications;

namespace CreditDesk.Tests.Domain.Applications;

public sealed class StatusMachineTests
{
    // SPEC §3, read edge by edge: the system decides, admins move by hand, the bank confirms, applicants cancel.
    private static readonly HashSet<string> Allowed =
    [
        "PENDING -> VALIDATING by System",
        "VALIDATING -> APPROVED by System",
        "VALIDATING -> REJECTED by System",
        "VALIDATING -> UNDER_REVIEW by System",
        "PENDING -> CANCELLED by Applicant",
        "PENDING -> CANCELLED by Admin",
        "UNDER_REVIEW -> APPROVED by Admin",
        "UNDER_REVIEW -> REJECTED by Admin",
        "APPROVED -> UNDER_REVIEW by Admin",
        "APPROVED -> CANCELLED by Admin",
        "APPROVED -> DISBURSED by Bank",
        "APPROVED -> UNDER_REVIEW by Bank",
    ];

    [Fact]
    public void Nothing_moves_an_application_back_to_PENDING_or_VALIDATING_so_the_drains_decision_is_its_first()
    {
        // ApplicationProcessor's decision records no superseded decision on the strength of this.
        var into = Enum.GetValues<ApplicationStatus>()
            .SelectMany(from => Enum.GetValues<Actor>().SelectMany(actor => StatusMachine.NextStatuses(from, actor).Select(to => (from, to))))
            .Where(move => move.to is ApplicationStatus.Pending or ApplicationStatus.Validating);

        Assert.Equal([(ApplicationStatus.Pending, ApplicationStatus.Validating)], into.Distinct());
    }

    public static TheoryData<ApplicationStatus, ApplicationStatus, Actor> EveryTriple()
    {
        var data = new TheoryData<ApplicationStatus, ApplicationStatus, Actor>();
        foreach (var from in Enum.GetValues<ApplicationStatus>())
        {
            foreach (var to in Enum.GetValues<ApplicationStatus>())
            {
                foreach (var actor in Enum.GetValues<Actor>())
                {
                    data.Add(from, to, actor);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryTriple))]
    public void Allows_exactly_the_transitions_of_the_lifecycle(ApplicationStatus from, ApplicationStatus to, Actor actor)
    {
        var expected = Allowed.Contains($"{from.ToCode()} -> {to.ToCode()} by {actor}");

        Assert.Equal(expected, StatusMachine.CanMove(from, to, actor));
        if (expected)
        {
            StatusMachine.EnsureCanMove(from, to, actor, "checked by hand");
        }
        else
        {
            var refusal = Assert.Throws<DomainException>(() => StatusMachine.EnsureCanMove(from, to, actor, "checked by hand"));
            Assert.Equal("invalid_transition", refusal.Error.Code);
            Assert.Contains(from.ToCode(), refusal.Message, StringComparison.Ordinal);
            Assert.Contains(to.ToCode(), refusal.Message, StringComparison.Ordinal);
            Assert.Contains(actor.ToString().ToLowerInvariant(), refusal.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Final_statuses_have_no_way_out_for_anyone()
    {
        foreach (var final in Enum.GetValues<ApplicationStatus>().Where(s => s.IsFinal()))
        {
            foreach (var actor in Enum.GetValues<Actor>())
            {
                Assert.Empty(StatusMachine.NextStatuses(final, actor));
            }
        }
        Assert.Equal(["REJECTED", "CANCELLED", "DISBURSED"],
            Enum.GetValues<ApplicationStatus>().Where(s => s.IsFinal()).Select(s => s.ToCode()));
    }

    [Fact]
    public void An_admin_must_give_a_reason()
    {
        var refusal = Assert.Throws<DomainException>(() =>
            StatusMachine.EnsureCanMove(ApplicationStatus.UnderReview, ApplicationStatus.Approved, Actor.Admin, "  "));

        Assert.Equal("reason_required", refusal.Error.Code);
    }

    [Fact]
    public void An_admin_sees_only_the_valid_next_statuses_in_lifecycle_order() =>
        Assert.Equal([ApplicationStatus.UnderReview, ApplicationStatus.Cancelled],
            StatusMachine.NextStatuses(ApplicationStatus.Approved, Actor.Admin));

    [Theory]
    [InlineData("UNDER_REVIEW", ApplicationStatus.UnderReview)]
    [InlineData("under_review", ApplicationStatus.UnderReview)]
    [InlineData("PENDING", ApplicationStatus.Pending)]
    public void Status_codes_round_trip(string code, ApplicationStatus status)
    {
        Assert.True(ApplicationStatusCodes.TryParse(code, out var parsed));
        Assert.Equal(status, parsed);
        Assert.Equal(code.ToUpperInvariant(), status.ToCode());
    }

    [Fact]
    public void Unknown_status_codes_do_not_parse() => Assert.False(ApplicationStatusCodes.TryParse("ON_HOLD", out _));
}
