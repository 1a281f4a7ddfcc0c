using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Banks;
using Microsoft.AspNetCore.Identity;

namespace CreditDesk.Web.Security;

/// <summary>
/// Outside Production: one user per role and one API key per role (bound to that user), from
/// <c>DevelopmentAccounts:&lt;Role&gt;:{Email,Password,ApiKey}</c>, as the README lists them; and the bank partners of
/// <c>DevelopmentBanks:N:{Name,Country,Contact,KeyId,Secret}</c> with their webhook keys. Idempotent.
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
        var banks = services.GetRequiredService<BankPartners>();
        foreach (var bank in configuration.GetSection("DevelopmentBanks").GetChildren())
        {
            if (bank["Name"] is { Length: > 0 } name && bank["Country"] is { Length: > 0 } country
                && bank["KeyId"] is { Length: > 0 } keyId && bank["Secret"] is { Length: > 0 } secret)
            {
                await banks.EnsureAsync(name, country, bank["Contact"], keyId, secret, stoppingToken);
            }
        }
    }
}
