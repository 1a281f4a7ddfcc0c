using CreditDesk.Infrastructure.Access;
using CreditDesk.Web.Security;

namespace CreditDesk.Web.Api;

/// <summary><c>/api/v1/api-keys</c> (admins): list, create (the key is shown once) and revoke API keys.</summary>
public static class ApiKeysApi
{
    public sealed record ApiKeyResponse(Guid Id, string Name, string Role, string Prefix, DateTime CreatedAt, DateTime? RevokedAt, string? Key = null)
    {
        public static ApiKeyResponse From(ApiKey k, string? secret = null) =>
            new(k.Id, k.Name, k.Role, k.Prefix, k.CreatedAt.UtcDateTime, k.RevokedAt?.UtcDateTime, secret);
    }

    public static RouteGroupBuilder MapApiKeysApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/api-keys").RequireAuthorization(Policies.Admin).WithTags("API keys");
        group.MapGet("", async (ApiKeyStore keys, CancellationToken ct) => Results.Ok((await keys.ListAsync(ct)).Select(k => ApiKeyResponse.From(k))));
        group.MapPost("", CreateAsync);
        group.MapDelete("{id:guid}", async (Guid id, ApiKeyStore keys, CancellationToken ct) =>
            await keys.RevokeAsync(id, ct) ? Results.NoContent() : ApiProblems.NotFound($"API key {id}"));
        return group;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ApiKeyStore keys, CancellationToken cancellationToken)
    {
        if (!JsonBody.IsJson(context.Request))
        {
            return ApiProblems.UnsupportedMediaType();
        }
        if (await RequestBody.ReadAsync(context.Request, 4096, cancellationToken) is not { } body)
        {
            return ApiProblems.TooLarge(4096);
        }
        string? name, role;
        using (var document = JsonBody.ParseObject(body))
        {
            if (document is null)
            {
                return ApiProblems.Malformed("The body must be a JSON object.");
            }
            if (document.RootElement.ReadText("name", out name) == TextRead.Unreadable)
            {
                return ApiProblems.Validation(new Dictionary<string, string[]> { ["name"] = [JsonBody.UnreadableText] });
            }
            role = document.RootElement.Text("role");
        }
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            errors["name"] = ["A name of 1 to 100 characters is required."];
        }
        var knownRole = Roles.All.FirstOrDefault(known => string.Equals(known, role, StringComparison.OrdinalIgnoreCase));
        if (knownRole is null)
        {
            errors["role"] = [$"Role must be one of {string.Join(", ", Roles.All)}."];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        var (key, secret) = await keys.CreateAsync(name!.Trim(), knownRole!, null, cancellationToken);
        return Results.Created($"/api/v1/api-keys/{key.Id}", ApiKeyResponse.From(key, secret));
    }
}
