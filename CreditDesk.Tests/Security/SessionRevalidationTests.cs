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
    public async Task A_check_the_database_cannot_answer_is_tried_again_and_an_ended_session_still_signs_the_page_out()
    {
        var (signedOut, checks) = await SignedOutAfterAsync(new TimeoutException("The database did not answer in time."));

        // One check a second: the first fails, the second finds the stamp renewed (signed out elsewhere).
        Assert.False(signedOut.User.Identity?.IsAuthenticated);
        Assert.Equal(2, checks);
    }

    [Fact]
    public async Task A_check_that_fails_for_another_reason_signs_the_page_out_at_once()
    {
        var (signedOut, checks) = await SignedOutAfterAsync(new ObjectDisposedException("IServiceProvider"));

        Assert.False(signedOut.User.Identity?.IsAuthenticated);
        Assert.Equal(1, checks);
    }

    /// <summary>A signed-in circuit whose first check throws <paramref name="firstFailure"/>: the state it falls back to and how many checks it took.</summary>
    private static async Task<(AuthenticationState State, int Checks)> SignedOutAfterAsync(Exception firstFailure)
    {
        var identity = new IdentityOptions();
        var users = new EndedSessionAfterAFailedCheck(Options.Create(identity), firstFailure);
        using var services = new ServiceCollection().AddSingleton<UserManager<IdentityUser>>(users).BuildServiceProvider();
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

        return (await signedOut.Task.WaitAsync(TimeSpan.FromSeconds(10)), users.Checks);
    }

    /// <summary>An account whose first lookup fails, and whose stamp was renewed since sign-in.</summary>
    private sealed class EndedSessionAfterAFailedCheck(IOptions<IdentityOptions> options, Exception firstFailure) : UserManager<IdentityUser>(
        new UserStore<IdentityUser>(new IdentityDbContext(new DbContextOptionsBuilder<IdentityDbContext>().Options)), options,
        null!, null!, null!, null!, null!, null!, NullLogger<UserManager<IdentityUser>>.Instance)
    {
        private int checks;

        public int Checks => checks;

        public override Task<IdentityUser?> GetUserAsync(ClaimsPrincipal principal) =>
            Interlocked.Increment(ref checks) == 1
                ? throw firstFailure
                : Task.FromResult<IdentityUser?>(new IdentityUser { Id = "officer", SecurityStamp = "stamp-after-sign-out" });

        public override Task<bool> IsLockedOutAsync(IdentityUser user) => Task.FromResult(false);

        public override Task<string> GetSecurityStampAsync(IdentityUser user) => Task.FromResult(user.SecurityStamp!);
    }
}
