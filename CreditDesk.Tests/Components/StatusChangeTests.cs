using Bunit;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Tests.Support;
using CreditDesk.Web.Components.Applications;
using CreditDesk.Web.Security;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;

namespace CreditDesk.Tests.Components;

public sealed class StatusChangeTests : DeskComponentContextWithDatabase
{
    protected override void AddServices()
    {
        Services.AddSingleton(Node.Get<StatusChanges>());
        Services.AddSingleton(Node.Get<Proposals>());
        Services.AddSingleton(Node.Get<FourEyes>());
        Services.AddScoped<CurrentCaller>();
        Services.AddSingleton(Node.Get<CreditDesk.Infrastructure.Presence.PresenceBoard>());
        Services.AddScoped<CreditDesk.Web.Components.Live.CircuitPresence>();
        SignInAs("admin-1", Roles.Admin);
    }

    [Fact]
    public async Task Offers_only_the_given_next_statuses_and_enables_Apply_once_a_reason_is_typed()
    {
        var popovers = RenderPopovers();
        var box = Render<StatusChange>(p => p.Add(s => s.Id, Guid.CreateVersion7()).Add(s => s.Current, "UNDER_REVIEW")
            .Add(s => s.NextStatuses, ["APPROVED", "REJECTED"]));
        Assert.True(box.Find("[data-testid=status-apply]").HasAttribute("disabled"));

        await box.Find("[data-testid=status-select]").MouseDownAsync(new MouseEventArgs());
        var options = popovers.WaitForElements(".mud-popover-open .mud-list-item");
        Assert.Equal(["Approved", "Rejected"], options.Select(o => o.TextContent.Trim()));
        await options[0].ClickAsync(new MouseEventArgs());
        Assert.True(box.Find("[data-testid=status-apply]").HasAttribute("disabled"));

        box.Find("[data-testid=status-reason]").Input("Income verified with payslips");

        box.WaitForAssertion(() => Assert.False(box.Find("[data-testid=status-apply]").HasAttribute("disabled")));
    }

    [Fact]
    public async Task Applying_moves_the_application_and_writes_the_reason_to_the_audit()
    {
        var submission = Node.Get<ApplicationSubmission>();
        var id = await Infrastructure.ApplicationTestData.SubmitAsync(submission, Infrastructure.ApplicationTestData.Colombian());
        await Database.ExecuteAsync($"DELETE FROM application_outbox WHERE application_id = '{id}'; UPDATE credit_applications SET status = 'UNDER_REVIEW' WHERE id = '{id}'");
        var changed = false;
        var popovers = RenderPopovers();
        var box = Render<StatusChange>(p => p.Add(s => s.Id, id).Add(s => s.Current, "UNDER_REVIEW")
            .Add(s => s.NextStatuses, ["APPROVED", "REJECTED"]).Add(s => s.Currency, "COP").Add(s => s.Amount, 5_000_000m).Add(s => s.OnChanged, () => changed = true));

        await box.Find("[data-testid=status-select]").MouseDownAsync(new MouseEventArgs());
        await popovers.WaitForElements(".mud-popover-open .mud-list-item").Single(o => o.TextContent.Trim() == "Rejected").ClickAsync(new MouseEventArgs());
        box.Find("[data-testid=status-reason]").Input("Payslips do not match the declared income");
        await box.Find("[data-testid=status-apply]").ClickAsync(new MouseEventArgs());

        box.WaitForAssertion(() => Assert.Contains("Moved to Rejected", box.Find("[data-testid=status-message]").TextContent, StringComparison.Ordinal));
        Assert.True(changed);
        Assert.Equal("REJECTED", await Database.StatusAsync(id));
        Assert.Equal("Payslips do not match the declared income",
            await Database.ScalarAsync<string>($"SELECT reason FROM application_audit WHERE application_id = '{id}' AND to_status = 'REJECTED'"));
    }

    [Fact]
    public async Task Above_the_four_eyes_limit_the_button_proposes_and_the_application_does_not_move()
    {
        var submission = Node.Get<ApplicationSubmission>();
        var id = await Infrastructure.ApplicationTestData.SubmitAsync(submission, Infrastructure.ApplicationTestData.Colombian());
        await Database.ExecuteAsync($"DELETE FROM application_outbox WHERE application_id = '{id}'; UPDATE credit_applications SET status = 'UNDER_REVIEW' WHERE id = '{id}'");
        var popovers = RenderPopovers();
        var box = Render<StatusChange>(p => p.Add(s => s.Id, id).Add(s => s.Current, "UNDER_REVIEW")
            .Add(s => s.NextStatuses, ["APPROVED", "REJECTED"]).Add(s => s.Currency, "COP").Add(s => s.Amount, 250_000_000m));

        await box.Find("[data-testid=status-select]").MouseDownAsync(new MouseEventArgs());
        await popovers.WaitForElements(".mud-popover-open .mud-list-item").Single(o => o.TextContent.Trim() == "Approved").ClickAsync(new MouseEventArgs());
        box.Find("[data-testid=status-reason]").Input("Collateral verified");
        Assert.Equal("true", box.Find("[data-testid=status-apply]").GetAttribute("data-propose"));
        await box.Find("[data-testid=status-apply]").ClickAsync(new MouseEventArgs());

        box.WaitForAssertion(() => Assert.NotNull(box.Find("[data-testid=status-message]")));
        Assert.Equal("UNDER_REVIEW", await Database.StatusAsync(id));
        Assert.Equal("APPROVED:Collateral verified", await Database.ScalarAsync<string>(
            $"SELECT to_status || ':' || reason FROM decision_proposals WHERE application_id = '{id}' AND state = 'pending'"));
    }
}
