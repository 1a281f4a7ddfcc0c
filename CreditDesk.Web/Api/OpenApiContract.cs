using CreditDesk.Infrastructure.Webhooks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CreditDesk.Web.Api;

/// <summary>
/// What the OpenAPI document adds to what the endpoints declare. Who may call what: the API-key scheme (<c>Authorization: Bearer cdk_…</c>) for every
/// operation that needs a caller, the bank's HMAC signature for the bank webhook, nothing for the public lookups; and
/// the answers that follow from an endpoint's metadata rather than its handler: 401/403/429 from its authorization, 413
/// from its body limit, 503 when it reads the database; and the Location of every 201.
/// </summary>
public static class OpenApiContract
{
    public const string ApiKey = "api_key";
    public const string BankSignature = "bank_signature";

    public static void Describe(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CreditDesk API";
            document.Info.Description = "Credit applications in six countries: submit, list, review and decide; banks confirm disbursements. "
                + "Every refusal is application/problem+json with a type from GET /api/v1/problems.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKey] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "cdk_<role>_<secret>",
                Description = "An API key an admin created (POST /api/v1/api-keys); its role decides what it may do.",
            };
            document.Components.SecuritySchemes[BankSignature] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = WebhookSignature.Header,
                Description = "t=<unix seconds>,kid=<the bank's key id>,v1=<hex HMAC-SHA256 of \"<t>.<body>\"> with that key's secret; at most 300 s old. "
                    + "A bank acts only on the applications disbursed through it.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var scheme = context.Description.RelativePath?.StartsWith("api/v1/webhooks/", StringComparison.Ordinal) == true ? BankSignature
                : metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any() ? null
                : ApiKey;
            operation.Security = scheme is null ? [] :
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] },
            ];
            // Every 201 says where the new resource lives.
            if (operation.Responses?.TryGetValue("201", out var created) == true && created is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers["Location"] = new OpenApiHeader
                {
                    Description = "The new resource's URL.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }
            var policies = metadata.OfType<IAuthorizeData>().Select(authorize => authorize.Policy).ToList();
            if (scheme == ApiKey)
            {
                Add(operation, context, "401", "No API key, or an unknown, revoked or malformed one (problem type unauthorized).");
                // Every role passes AnyRole; any other policy refuses some role. Handlers that refuse by the data declare 403 themselves.
                if (policies.Exists(policy => policy != Security.Policies.AnyRole))
                {
                    Add(operation, context, "403", "The key's role may not do this (problem type forbidden).");
                }
                // ApiKeyAuthenticationHandler throttles an address that keeps presenting unknown keys.
                Add(operation, context, "429", "This address presented too many unknown API keys (problem type rate_limited); Retry-After says when to try again.");
            }
            if (operation.RequestBody is not null && metadata.OfType<IRequestSizeLimitMetadata>().Any())
            {
                Add(operation, context, "413", "The body is larger than this operation accepts (problem type payload_too_large); nothing was changed.");
            }
            // Anything that reads the database can find it away (DatabaseUnavailableHandler): said once here for every such operation.
            if (!metadata.OfType<ReadsNoDatabase>().Any())
            {
                Add(operation, context, "503", "The database cannot be reached (problem type database_unavailable); nothing was changed. Retry-After says when to try again."
                    + string.Concat(metadata.OfType<AlsoUnavailable>().Select(also => " " + also.Description)));
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>A problem+json answer the endpoint did not declare itself (what it declares wins).</summary>
    private static void Add(OpenApiOperation operation, OpenApiOperationTransformerContext context, string status, string description)
    {
        operation.Responses ??= [];
        operation.Responses.TryAdd(status, new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", context.Document) },
            },
        });
    }

    /// <summary>Endpoint metadata: another reason the operation answers 503, said after the database's.</summary>
    public sealed record AlsoUnavailable(string Description);

    /// <summary>Endpoint metadata: answers from memory, so it never answers 503 (the problem registry, the countries).</summary>
    public sealed class ReadsNoDatabase
    {
        public static readonly ReadsNoDatabase Instance = new();

        private ReadsNoDatabase()
        {
        }
    }
}
