using CreditDesk.Infrastructure.Access;
using CreditDesk.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditDesk.Web.Api;

/// <summary><c>/api/v1/api-keys</c> (admins): list, create (the key is shown once) and revoke API keys.</summary>
public static class ApiKeysApi
{
    public sealed record ApiKeyResponse(Guid Id, string Name, string Role, string Prefix, DateTime CreatedAt, DateTime? RevokedAt, string? Key = null)
    {
        public static ApiKeyResponse From(ApiKey k, string? secret = null) =>
            new(k.Id, k.Name, k.Role, k.Prefix, k.CreatedAt.UtcDateTime, k.RevokedAt?.UtcDateTime, secret);
    }

    private const int BodyLimit = 4096;

    public static RouteGroupBuilder MapApiKeysApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/api-keys").RequireAuthorization(Policies.Admin).WithTags("API keys");
        group.MapGet("", ListAsync).WithName("ListApiKeys");
        group.MapPost("", CreateAsync).ValidatedBody<ApiKeyRequest>().WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(BodyLimit))
            .WithName("CreateApiKey");
        group.MapDelete("{id:guid}", RevokeAsync).ProducesProblem(StatusCodes.Status404NotFound).WithName("RevokeApiKey");
        return group;
    }

    private static async Task<Ok<List<ApiKeyResponse>>> ListAsync(ApiKeyStore keys, CancellationToken cancellationToken) =>
        TypedResults.Ok((await keys.ListAsync(cancellationToken)).Select(key => ApiKeyResponse.From(key)).ToList());

    /// <summary>The secret is in this answer only; the store keeps its hash.</summary>
    private static async Task<Created<ApiKeyResponse>> CreateAsync(ApiKeyRequest request, ApiKeyStore keys, CancellationToken cancellationToken)
    {
        var (key, secret) = await keys.CreateAsync(request.Name!.Trim(), request.KnownRole, null, cancellationToken);
        return TypedResults.Created($"/api/v1/api-keys/{key.Id}", ApiKeyResponse.From(key, secret));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(Guid id, ApiKeyStore keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(id, cancellationToken) ? TypedResults.NoContent() : ApiProblems.NotFound($"API key {id}");
}
