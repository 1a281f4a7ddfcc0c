using CreditDesk.Infrastructure.Access;
using Microsoft.AspNetCore.Identity;

namespace CreditDesk.Web.Security;

/// <summary>
/// Outside Production: one user per role and one API key per role (bound to that user), from
/// <c>DevelopmentAccounts:&lt;Role&gt;:{Email,Password,ApiKey}</c>, as the README lists them. Idempotent.
/// </summary>
public static class DevelopmentAccounts
{
    /// <summary>Run by <see cref="AccountBootstrap"/> after the roles exist.</summary>
    public static async Task EnsureAsync(IServiceProvider services, IConfiguration configuration, CancellationToken stoppingToken)
    {
        var users = services.GetRequiredService<UserManager<IdentityUser>>();
        var keys = services.GetRequiredService<ApiKeyStore>();
        foreach (var role in Roles.All)
        {
            var section = configuration.GetSection($"DevelopmentAccounts:{role}");
            if (section["Email"] is not { Length: > 0 } email || section["Password"] is not { Length: > 0 } password)
            {
                continue;
            }
            var user = await users.FindByEmailAsync(email);
            if (user is null)
            {
                user = new IdentityUser { Id = $"dev-{role.ToLowerInvariant()}", UserName = email, Email = email, EmailConfirmed = true };
                var created = await users.CreateAsync(user, password);
                if (!created.Succeeded)
                {
                    throw new InvalidOperationException($"Could not create {email}: {string.Join("; ", created.Errors.Select(e => e.Description))}");
                }
                await users.AddToRoleAsync(user, role);
            }
            if (section["ApiKey"] is { Length: > 0 } apiKey)
            {
                await keys.EnsureAsync($"development {role.ToLowerInvariant()}", role, user.Id, apiKey, stoppingToken);
            }
        }
    }
}
