using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Processing;
using Microsoft.AspNetCore.Identity;

namespace CreditDesk.Web.Security;

/// <summary>
/// Accounts a node makes sure of once the schema is ready, in order: the three roles; while no admin exists, the admin
/// named by <c>Bootstrap:AdminEmail</c> / <c>Bootstrap:AdminPassword</c> (a deployment's way to its first sign-in, in
/// any environment; remove the password from the environment afterwards); outside Production, the development
/// accounts. Nodes starting together may race on the same rows: the loser checks again and finds the winner's.
/// </summary>
public sealed partial class AccountBootstrap(
    IServiceScopeFactory scopes, SchemaReadiness schema, IConfiguration configuration, IHostEnvironment environment, ILogger<AccountBootstrap> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await schema.WhenReady.WaitAsync(stoppingToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EnsureAsync(stoppingToken);
                return;
            }
            catch (Exception error) when (attempt < 3 && error is not OperationCanceledException)
            {
                // Another node created the same role or user between our check and our insert: check again.
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), stoppingToken);
            }
        }
    }

    private async Task EnsureAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        await EnsureRolesAsync(roles);
        await EnsureFirstAdminAsync(users);
        if (!environment.IsProduction())
        {
            await DevelopmentAccounts.EnsureAsync(scope.ServiceProvider, configuration, stoppingToken);
        }
    }

    private async Task EnsureFirstAdminAsync(UserManager<IdentityUser> users)
    {
        if (configuration["Bootstrap:AdminEmail"] is not { Length: > 0 } email || configuration["Bootstrap:AdminPassword"] is not { Length: > 0 } password)
        {
            return;
        }
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
        {
            return;
        }
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                // The message names the rule (length, digits...), never the password.
                throw new InvalidOperationException($"Bootstrap:AdminEmail could not be created: {string.Join("; ", created.Errors.Select(e => e.Description))}");
            }
        }
        await users.AddToRoleAsync(user, Roles.Admin);
        LogCreated(logger);
    }

    private static async Task EnsureRolesAsync(RoleManager<IdentityRole> roles)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the first admin from Bootstrap:AdminEmail; remove Bootstrap:AdminPassword from the environment")]
    private static partial void LogCreated(ILogger logger);
}
