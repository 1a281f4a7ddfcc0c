using System.Globalization;
using System.Security.Claims;
using Bunit;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Presence;
using CreditDesk.Web.Components.Applications;
using CreditDesk.Web.Components.Live;
using Microsoft.Extensions.DependencyInjection;

namespace CreditDesk.Tests.Components;

/// <summary>The detail's presence bar against a real board, other nodes' announcements arriving as the listener hands them over.</summary>
public sealed class PresenceBarTests : DeskComponentContext
{
    private readonly PresenceBoard board = new(TimeProvider.System);
    private readonly Guid application = Guid.NewGuid();

    public PresenceBarTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en");
        Services.AddSingleton(board);
        Services.AddScoped<CircuitPresence>();
    }

    private void SignInAsStaff(string id, string email, string role)
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized(email);
        authorization.SetRoles(role);
        authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Email, email));
    }

    private void FromAnotherNode(params Viewer[] viewers) => board.Receive(new PresenceMessage(OtherNode, ++sequence, 0, 1, viewers));

    private static readonly Guid OtherNode = Guid.NewGuid();
    private long sequence;

    [Fact]
    public async Task Opening_the_detail_puts_its_officer_on_the_board_as_viewing_and_closing_it_takes_them_off()
    {
        SignInAsStaff("officer-1", "officer@creditdesk.test", Roles.Officer);

        Render<PresenceBar>(p => p.Add(b => b.ApplicationId, application));

        var me = Assert.Single(board.ViewersOf(application));
        Assert.Equal(("officer@creditdesk.test", Roles.Officer, PresenceActivity.Viewing), (me.Email, me.Role, me.Activity));
        await DisposeComponentsAsync();
        Assert.Empty(board.ViewersOf(application));
    }

    [Fact]
    public void Others_on_the_same_application_show_live_with_name_role_and_what_they_do_and_the_viewer_is_not_among_them()
    {
        SignInAsStaff("officer-1", "officer@creditdesk.test", Roles.Officer);
        var bar = Render<PresenceBar>(p => p.Add(b => b.ApplicationId, application));
        Assert.Empty(bar.FindAll("[data-user]"));

        FromAnotherNode(
            new Viewer(Guid.NewGuid(), application, "admin-1", "admin@creditdesk.test", Roles.Admin, PresenceActivity.ChangingStatus),
            new Viewer(Guid.NewGuid(), Guid.NewGuid(), "officer-2", "elsewhere@creditdesk.test", Roles.Officer, PresenceActivity.Viewing),
            // The same officer in another tab on another node is not "someone else".
            new Viewer(Guid.NewGuid(), application, "officer-1", "officer@creditdesk.test", Roles.Officer, PresenceActivity.Viewing));

        bar.WaitForAssertion(() =>
        {
            var entry = Assert.Single(bar.FindAll("[data-testid=presence] [data-user]"));
            Assert.Equal("admin@creditdesk.test", entry.GetAttribute("data-user"));
            Assert.Equal(PresenceActivity.ChangingStatus, entry.GetAttribute("data-activity"));
            Assert.Contains("admin@creditdesk.test (Admin) · changing status", entry.TextContent, StringComparison.Ordinal);
        });

        board.Receive(new PresenceMessage(OtherNode, ++sequence, 0, 1, [], Bye: true));
        bar.WaitForAssertion(() => Assert.Empty(bar.FindAll("[data-user]")));
    }

    [Fact]
    public void The_status_box_warning_gets_the_others_changing_status_from_the_bar()
    {
        SignInAsStaff("officer-1", "officer@creditdesk.test", Roles.Officer);
        IReadOnlyList<Viewer> told = [];
        var bar = Render<PresenceBar>(p => p.Add(b => b.ApplicationId, application).Add(b => b.OthersChanged, others => told = others));

        FromAnotherNode(new Viewer(Guid.NewGuid(), application, "admin-1", "admin@creditdesk.test", Roles.Admin, PresenceActivity.ChangingStatus));

        bar.WaitForState(() => told is [{ Email: "admin@creditdesk.test", Activity: PresenceActivity.ChangingStatus }]);
    }

    [Fact]
    public void An_applicant_never_appears_on_the_board()
    {
        SignInAsStaff("applicant-1", "ana@example.com", Roles.Applicant);

        Render<PresenceBar>(p => p.Add(b => b.ApplicationId, application));

        Assert.Empty(board.ViewersOf(application));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        board.Dispose();
    }
}
