using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace CreditDesk.Tests.Components;

/// <summary>bunit with MudBlazor's services, loose JavaScript interop and a popover host, so selects and dialogs open as in the app.</summary>
public abstract class DeskComponentContext : BunitContext
{
    protected DeskComponentContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        // Two cores shared with PostgreSQL and the browser tests: a slow render is not a failure.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<FluentValidation.IValidator<CreditDesk.Domain.Applications.ApplicationForm>>(new CreditDesk.Infrastructure.Applications.ApplicationFormValidator(TimeProvider.System));
    }

    /// <summary>The popover provider MudSelect and MudMenu render their lists into.</summary>
    protected IRenderedComponent<MudPopoverProvider> RenderPopovers() => Render<MudPopoverProvider>();

    /// <summary>A signed-in person in one role, as CurrentCaller reads them.</summary>
    protected void SignInAs(string id, string role)
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized(id);
        authorization.SetRoles(role);
        authorization.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, id));
    }

    /// <summary>
    /// xunit 2 disposes test classes synchronously, and MudBlazor's services are only asynchronously disposable:
    /// take the asynchronous path (which ends in Dispose(false)) so the container is disposed the way it must be.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
            return;
        }
        base.Dispose(disposing);
    }
}
