using Bunit;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Events;
using CreditDesk.Web.Components.Live;
using CreditDesk.Web.Components.Pages;
using CreditDesk.Web.Security;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CreditDesk.Tests.Components;

/// <summary>The apply page submits through the same limit as the API: a circuit is no way around it.</summary>
public sealed class ApplyPageTests : DeskComponentContextWithDatabase
{
    protected override void AddServices()
    {
        Services.AddSingleton(Node.Get<ApplicationSubmission>());
        Services.AddSingleton(Node.Get<ApplicationQueries>());
        Services.AddSingleton(Node.Get<ApplicationEventHub>());
        Services.AddScoped<CircuitLiveUpdates>();
        Services.AddScoped<CurrentCaller>();
        Services.AddSingleton(new FormSubmissions(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RateLimits:submit:PermitLimit"] = "1",
            ["RateLimits:submit:WindowSeconds"] = "60",
        }).Build()));
        SignInAs("applicant-limited", Roles.Applicant);
    }

    [Fact]
    public async Task A_second_submission_inside_the_window_is_refused_with_a_message_and_writes_nothing()
    {
        var page = Render<Apply>();
        await FillAndSubmitAsync(page, Infrastructure.ApplicationTestData.NextDni());
        page.WaitForElement("[data-testid=apply-result]");

        await page.Find("[data-testid=apply-again]").ClickAsync(new MouseEventArgs());
        await FillAndSubmitAsync(page, Infrastructure.ApplicationTestData.NextDni());

        page.WaitForAssertion(() => Assert.Contains("Too many applications", page.Find("[data-testid=apply-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=apply-result]"));
        Assert.Equal(1, await Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications"));
    }

    private static async Task FillAndSubmitAsync(IRenderedComponent<Apply> page, string dni)
    {
        page.Find("[data-testid=apply-full-name]").Input("Marta Ruiz");
        page.Find("[data-testid=apply-document]").Input(dni);
        page.Find("[data-testid=apply-amount]").Input("9000");
        page.Find("[data-testid=apply-income]").Input("3000");
        await page.Find("[data-testid=apply-submit]").ClickAsync(new MouseEventArgs());
    }
}
