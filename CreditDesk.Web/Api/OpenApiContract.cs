using CreditDesk.Infrastructure.Webhooks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CreditDesk.Web.Api;

/// <summary>
/// What the OpenAPI document adds to what the endpoints declare. Who may call what: the API-key scheme (<c>Authorization: Bearer cdk_…</c>) for every
/// operation that needs a caller, the bank's HMAC signature for the bank webhook, nothing for the public lookups; and
/// the 503 every operation that reads the database can answer, and the Location of every 201.
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
            // Anything that reads the database can find it away (DatabaseUnavailableHandler): said once here for every such operation.
            if (context.Description.RelativePath?.StartsWith("api/v1/problems", StringComparison.Ordinal) != true)
            {
                operation.Responses ??= [];
                operation.Responses.TryAdd("503", new OpenApiResponse
                {
                    Description = "The database cannot be reached (problem type database_unavailable); nothing was changed. Retry-After says when to try again.",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", context.Document) },
                    },
                });
            }
            return Task.CompletedTask;
        });
    }
}
