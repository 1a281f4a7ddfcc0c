using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Processing;

namespace CreditDesk.Web.Security;

/// <summary>Outside Production: one well-known API key per role (section <c>ApiKeys:Development</c>), as the README lists them.</summary>
public sealed class DevelopmentApiKeys(ApiKeyStore keys, SchemaReadiness schema, IConfiguration configuration) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await schema.WhenReady.WaitAsync(stoppingToken);
        foreach (var role in Roles.All)
        {
            if (configuration[$"ApiKeys:Development:{role}"] is { Length: > 0 } secret)
            {
                await keys.EnsureAsync($"development {role.ToLowerInvariant()}", role, configuration[$"ApiKeys:DevelopmentUsers:{role}"], secret, stoppingToken);
            }
        }
    }
}
