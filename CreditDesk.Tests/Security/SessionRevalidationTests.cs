using System.Security.Claims;
using CreditDesk.Web.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CreditDesk.Tests.Security;

/// <summary>An open page's session is checked on every interval for as long as the page stays open.</summary>
public sealed class SessionRevalidationTests
{
    [Fact]
    public async Task A_check_that_fails_is_tried_again_and_an_ended_session_still_signs_the_page_out()
    {
        var identity = new IdentityOptions();
        using var services = new ServiceCollection()
            .AddSingleton<UserManager<IdentityUser>>(new EndedSessionAfterAFailedCheck(Options.Create(identity)))
            .BuildServiceProvider();
        using var revalidation = new SessionRevalidation(NullLoggerFactory.Instance, services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(identity), Options.Create(new SessionOptions { SessionCheckInterval = TimeSpan.Zero }));
        var signedOut = new TaskCompletionSource<AuthenticationState>(TaskCreationOptions.RunContinuationsAsynchronously);
        revalidation.AuthenticationStateChanged += async state =>
        {
            if ((await state).User.Identity?.IsAuthenticated != true)
            {
                signedOut.TrySetResult(await state);
            }
        };

        revalidation.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(identity.ClaimsIdentity.UserIdClaimType, "officer"), new Claim(identity.ClaimsIdentity.SecurityStampClaimType, "stamp-at-sign-in")],
            authenticationType: "Identity.Application")))));

        // One check a second: the first fails, the second finds the stamp renewed (signed out elsewhere).
        var state = await signedOut.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(state.User.Identity?.IsAuthenticated);
        Assert.Equal(2, ((EndedSessionAfterAFailedCheck)services.GetRequiredService<UserManager<IdentityUser>>()).Checks);
    }

    /// <summary>An account whose first lookup fails as an unreachable database does, and whose stamp was renewed since sign-in.</summary>
    private sealed class EndedSessionAfterAFailedCheck(IOptions<IdentityOptions> options) : UserManager<IdentityUser>(
        new UserStore<IdentityUser>(new IdentityDbContext(new DbContextOptionsBuilder<IdentityDbContext>().Options)), options,
        null!, null!, null!, null!, null!, null!, NullLogger<UserManager<IdentityUser>>.Instance)
    {
        private int checks;

        public int Checks => checks;

        public override Task<IdentityUser?> GetUserAsync(ClaimsPrincipal principal) =>
            Interlocked.Increment(ref checks) == 1
                ? throw new TimeoutException("The database did not answer in time.")
                : Task.FromResult<IdentityUser?>(new IdentityUser { Id = "officer", SecurityStamp = "stamp-after-sign-out" });

        public override Task<bool> IsLockedOutAsync(IdentityUser user) => Task.FromResult(false);

        public override Task<string> GetSecurityStampAsync(IdentityUser user) => Task.FromResult(user.SecurityStamp!);
    }
}
