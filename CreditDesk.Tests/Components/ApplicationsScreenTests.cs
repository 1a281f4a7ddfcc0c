using Bunit;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Events;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;
using CreditDesk.Web.Components.Applications;
using CreditDesk.Web.Components.Live;
using CreditDesk.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using ApplicationsPage = CreditDesk.Web.Components.Pages.Applications;

namespace CreditDesk.Tests.Components;

/// <summary>The applications screen on a real database, with live events published in process as the listener would.</summary>
public sealed class ApplicationsScreenTests : DeskComponentContextWithDatabase
{
    protected override void AddServices()
    {
        Services.AddSingleton(Node.Get<ApplicationQueries>());
        Services.AddSingleton(Node.Get<ApplicationEventHub>());
        Services.AddSingleton(Node.Get<StatusChanges>());
        Services.AddSingleton(Node.Get<Proposals>());
        Services.AddSingleton(Node.Get<FourEyes>());
        Services.AddSingleton(Node.Get<ReviewWork>());
        Services.AddSingleton(Node.Get<SupportingDocuments>());
        Services.AddSingleton(Node.Get<DecisionTrail>());
        Services.AddSingleton(Node.Get<CreditDesk.Infrastructure.Banks.BankPartners>());
        Services.AddScoped<CircuitLiveUpdates>();
        Services.AddScoped<ApplicationsDesk>();
        Services.AddScoped<CurrentCaller>();
        Services.AddSingleton(Node.Get<CreditDesk.Infrastructure.Presence.PresenceBoard>());
        Services.AddScoped<CreditDesk.Web.Components.Live.CircuitPresence>();
        SignInAs("officer-1", Roles.Officer);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public async Task A_live_decision_shows_its_status_and_risk_score_in_place_highlighted_without_a_reload()
    {
        var id = await Node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());
        RenderPopovers();
        var screen = Render<ApplicationsPage>();
        var row = screen.WaitForElement($"[data-testid=app-row-{id}]");
        Assert.Equal("PENDING", row.GetAttribute("data-status"));

        Node.Get<ApplicationEventHub>().Publish(new ApplicationChanged(id, "CO", "APPROVED", "VALIDATING", DateTimeOffset.UtcNow, RiskScore: 37));

        screen.WaitForAssertion(() =>
        {
            Assert.Equal("APPROVED", screen.Find($"[data-testid=app-row-{id}]").GetAttribute("data-status"));
            Assert.Contains(screen.Find($"[data-testid=app-row-{id}]").Closest("tr")!.Children, cell => cell.TextContent.Trim() == "37");
            Assert.Contains("cd-flash", screen.Find($"[data-testid=app-row-{id}]").Closest("tr")!.ClassList);
        });
    }

    [Fact]
    public async Task Live_updates_redraw_the_rows_but_not_the_filter_row()
    {
        var id = await Node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());
        RenderPopovers();
        var screen = Render<ApplicationsPage>();
        screen.WaitForElement($"[data-testid=app-row-{id}]");
        var filters = screen.FindComponent<Filters>();
        var filterRenders = filters.RenderCount;

        Node.Get<ApplicationEventHub>().Publish(new ApplicationChanged(id, "CO", "APPROVED", "VALIDATING", DateTimeOffset.UtcNow, RiskScore: 37));

        screen.WaitForAssertion(() => Assert.Equal("APPROVED", screen.Find($"[data-testid=app-row-{id}]").GetAttribute("data-status")));
        Assert.Equal(filterRenders, filters.RenderCount);
    }

    [Fact]
    public async Task A_new_application_appears_on_the_first_page_highlighted()
    {
        RenderPopovers();
        var screen = Render<ApplicationsPage>();
        screen.WaitForElement("[data-testid=applications-empty]");

        var id = await Node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());
        Node.Get<ApplicationEventHub>().Publish(new ApplicationChanged(id, "CO", "PENDING", null, DateTimeOffset.UtcNow));

        screen.WaitForAssertion(() => Assert.Contains("cd-flash", screen.Find($"[data-testid=app-row-{id}]").Closest("tr")!.ClassList), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Counts_catch_up_with_a_live_change_even_inside_the_nodes_shared_counting_window()
    {
        RenderPopovers();
        var screen = Render<ApplicationsPage>();
        screen.WaitForElement("[data-testid=applications-empty]");
        Assert.Equal("0", screen.Find("[data-testid=status-count-PENDING]").GetAttribute("data-count"));

        var id = await Node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());
        Node.Get<ApplicationEventHub>().Publish(new ApplicationChanged(id, "CO", "PENDING", null, DateTimeOffset.UtcNow));

        screen.WaitForAssertion(() => Assert.Equal("1", screen.Find("[data-testid=status-count-PENDING]").GetAttribute("data-count")),
            ApplicationQueries.CountsWindow + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Filters_come_from_the_query_string_and_a_filter_change_goes_back_into_it()
    {
        var colombian = await Node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());
        var spanish = await Node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Spanish());
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("applications?country=ES");
        RenderPopovers();

        var screen = Render<ApplicationsPage>();

        screen.WaitForElement($"[data-testid=app-row-{spanish}]");
        Assert.Empty(screen.FindAll($"[data-testid=app-row-{colombian}]"));
        await screen.Find("[data-testid=status-count-PENDING]").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        Assert.EndsWith("applications?country=ES&status=PENDING", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_screen_holds_one_live_subscription_for_the_grid_and_an_open_detail()
    {
        var id = await Node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());
        var hub = Node.Get<ApplicationEventHub>();
        var before = hub.SubscriberCount;
        RenderPopovers();
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        Render<ApplicationsPage>(p => p.Add(page => page.Id, id));

        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid=app-detail]")), TimeSpan.FromSeconds(5));

        Assert.Equal(before + 1, hub.SubscriberCount);
    }

    [Fact]
    public async Task Sorting_by_amount_reads_the_highest_first_then_the_lowest()
    {
        var submission = Node.Get<ApplicationSubmission>();
        var small = await submission.SubmitAsync(ApplicationTestData.Colombian(amount: 2_000_000m));
        var large = await submission.SubmitAsync(ApplicationTestData.Colombian(amount: 9_000_000m));
        var middle = await submission.SubmitAsync(ApplicationTestData.Colombian(amount: 5_000_000m));
        RenderPopovers();
        var screen = Render<ApplicationsPage>();
        screen.WaitForElement($"[data-testid=app-row-{small}]");
        Assert.Equal([middle, large, small], RowIds(screen));

        await SortButton(screen, "Amount").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        screen.WaitForAssertion(() => Assert.Equal([small, middle, large], RowIds(screen)));
        await SortButton(screen, "Amount").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        screen.WaitForAssertion(() => Assert.Equal([large, middle, small], RowIds(screen)));
    }

    /// <summary>The column's sort button (a button, so the keyboard reaches it too).</summary>
    private static AngleSharp.Dom.IElement SortButton(IRenderedComponent<ApplicationsPage> screen, string column) =>
        screen.FindAll("th").Single(th => th.TextContent.Contains(column, StringComparison.Ordinal)).QuerySelector("button[aria-label=Sort]")!;

    private static List<Guid> RowIds(IRenderedComponent<ApplicationsPage> screen) =>
        screen.FindAll("[data-testid^=app-row-]").Select(a => Guid.Parse(a.GetAttribute("data-testid")!["app-row-".Length..])).ToList();
}
