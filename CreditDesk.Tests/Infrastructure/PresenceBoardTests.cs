using System.Text;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Presence;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Infrastructure;

/// <summary>The presence board on its own: what it holds, how a node's set travels in parts, when a silent node is forgotten.</summary>
public sealed class PresenceBoardTests : IDisposable
{
    private readonly ManualClock clock = new();
    private readonly PresenceBoard board;

    public PresenceBoardTests() => board = new PresenceBoard(clock);

    public void Dispose() => board.Dispose();

    private static Viewer Officer(Guid application, string email, string activity = PresenceActivity.Viewing) =>
        new(Guid.NewGuid(), application, "id-" + email, email, Roles.Officer, activity);

    [Fact]
    public void Applicants_never_appear_on_the_board()
    {
        var applicant = new Viewer(Guid.NewGuid(), Guid.NewGuid(), "applicant-1", "ana@example.com", Roles.Applicant, PresenceActivity.Viewing);

        Assert.Throws<ArgumentException>(() => board.Enter(applicant));
        Assert.Empty(board.ViewersOf(applicant.ApplicationId));
    }

    [Fact]
    public void Others_leave_out_the_person_asking_and_show_each_person_once_with_their_busiest_tab()
    {
        var application = Guid.NewGuid();
        var mine = Officer(application, "me@creditdesk.test");
        var herViewing = Officer(application, "ana@creditdesk.test");
        var herWriting = herViewing with { Session = Guid.NewGuid(), Activity = PresenceActivity.WritingNote };
        board.Enter(mine);
        board.Enter(herViewing);
        board.Enter(herWriting);
        board.Enter(Officer(Guid.NewGuid(), "elsewhere@creditdesk.test"));

        var others = board.OthersOn(application, mine.UserId);

        var only = Assert.Single(others);
        Assert.Equal(("ana@creditdesk.test", PresenceActivity.WritingNote), (only.Email, only.Activity));
        Assert.Equal([application], board.OpenByOthers("someone-else").Keys.Where(key => key == application));
    }

    [Fact]
    public void A_disconnected_tab_disappears_at_once_and_comes_back_when_it_reconnects()
    {
        var viewer = Officer(Guid.NewGuid(), "ana@creditdesk.test");
        board.Enter(viewer);

        board.Disconnected(viewer.Session);
        Assert.Empty(board.ViewersOf(viewer.ApplicationId));
        Assert.Empty(board.TakeAnnouncement().Viewers);

        board.Reconnected(viewer.Session);
        Assert.Single(board.ViewersOf(viewer.ApplicationId));
    }

    [Fact]
    public void Two_hundred_viewers_travel_in_parts_under_the_notify_limit_and_are_put_back_together()
    {
        var viewers = Enumerable.Range(0, 200).Select(i => Officer(Guid.NewGuid(), $"officer{i}@creditdesk.test", PresenceActivity.ChangingStatus)).ToList();
        var other = Guid.NewGuid();

        var parts = PresencePublisher.Parts(other, 7, viewers, hello: false);

        Assert.True(parts.Count > 1);
        Assert.All(parts, part => Assert.True(Encoding.UTF8.GetByteCount(part) < 8_000));
        // Parts arrive in any order; until the last one the previous set stands.
        foreach (var part in parts.Skip(1).Reverse())
        {
            board.Receive(PresencePublisher.Deserialize(part)!);
        }
        Assert.Empty(board.ViewersOf(viewers[0].ApplicationId));
        board.Receive(PresencePublisher.Deserialize(parts[0])!);
        Assert.All(viewers, viewer => Assert.Equal(viewer, Assert.Single(board.ViewersOf(viewer.ApplicationId))));
    }

    [Fact]
    public void A_heartbeat_that_changes_nothing_raises_nothing_and_an_older_set_never_replaces_a_newer_one()
    {
        var other = Guid.NewGuid();
        var viewer = Officer(Guid.NewGuid(), "ana@creditdesk.test");
        var changes = 0;
        board.Changed += () => changes++;

        board.Receive(new PresenceMessage(other, 2, 0, 1, [viewer]));
        board.Receive(new PresenceMessage(other, 3, 0, 1, [viewer]));
        board.Receive(new PresenceMessage(other, 1, 0, 1, []));

        Assert.Equal(1, changes);
        Assert.Single(board.ViewersOf(viewer.ApplicationId));
    }

    [Fact]
    public void A_node_unheard_for_twelve_seconds_is_forgotten_with_its_viewers_and_a_goodbye_forgets_it_at_once()
    {
        var silent = Officer(Guid.NewGuid(), "ana@creditdesk.test");
        var leaving = Officer(Guid.NewGuid(), "bea@creditdesk.test");
        board.Receive(new PresenceMessage(Guid.NewGuid(), 1, 0, 1, [silent]));
        var leavingNode = Guid.NewGuid();
        board.Receive(new PresenceMessage(leavingNode, 1, 0, 1, [leaving]));

        board.Receive(new PresenceMessage(leavingNode, 2, 0, 1, [], Bye: true));
        Assert.Empty(board.ViewersOf(leaving.ApplicationId));

        clock.Advance(PresenceBoard.Expiry - TimeSpan.FromSeconds(1));
        board.ForgetSilentNodes();
        Assert.Single(board.ViewersOf(silent.ApplicationId));
        clock.Advance(TimeSpan.FromSeconds(1));
        board.ForgetSilentNodes();
        Assert.Empty(board.ViewersOf(silent.ApplicationId));
    }

    [Fact]
    public async Task A_node_asking_for_the_others_sets_is_answered_only_by_nodes_with_viewers()
    {
        var asking = new PresenceMessage(Guid.NewGuid(), 1, 0, 1, [], Hello: true);

        board.Receive(asking);
        Assert.False(await board.WaitForNewsAsync(TimeSpan.Zero, CancellationToken.None));

        board.Enter(Officer(Guid.NewGuid(), "ana@creditdesk.test"));
        Assert.True(await board.WaitForNewsAsync(TimeSpan.Zero, CancellationToken.None));
        board.Receive(asking with { Sequence = 2 });
        Assert.True(await board.WaitForNewsAsync(TimeSpan.Zero, CancellationToken.None));
    }
}
