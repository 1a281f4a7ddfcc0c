using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CreditDesk.Tests.Support;

/// <summary>
/// Every API answer any test gets from an <see cref="AppHost"/>, as "METHOD route status" lines appended to the file
/// <c>CREDITDESK_OBSERVED_RESPONSES</c> names (once per distinct line; <c>./build.sh test</c> sets it). After the suite,
/// <see cref="Api.ContractCoverageTests"/> holds them against the OpenAPI document in both directions.
/// </summary>
public static class ObservedResponses
{
    public const string FileVariable = "CREDITDESK_OBSERVED_RESPONSES";

    private static readonly string? FilePath = Environment.GetEnvironmentVariable(FileVariable);
    private static readonly ConcurrentDictionary<string, bool> Seen = new(StringComparer.Ordinal);
    private static readonly Lock Writing = new();

    public static bool Recording => !string.IsNullOrEmpty(FilePath);

    /// <summary>"GET /api/v1/applications/{id}": the route as the OpenAPI document writes it (constraints dropped).</summary>
    public static string Operation(string method, string routePattern)
    {
        var path = "/" + System.Text.RegularExpressions.Regex.Replace(routePattern.Trim('/'), @"\{([^}:]+):[^}]*\}", "{$1}");
        return $"{method.ToUpperInvariant()} {path}";
    }

    private static void Record(string method, string routePattern, int status)
    {
        var line = $"{Operation(method, routePattern)} {status}";
        if (!Seen.TryAdd(line, true))
        {
            return;
        }
        lock (Writing)
        {
            File.AppendAllText(FilePath!, line + "\n");
        }
    }

    /// <summary>The outermost middleware of every test app: the final status of each request that reached an API endpoint.</summary>
    public sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            if (Recording)
            {
                app.Use(async (context, inner) =>
                {
                    try
                    {
                        await inner(context);
                    }
                    catch
                    {
                        Observe(context, StatusCodes.Status500InternalServerError);
                        throw;
                    }
                    Observe(context, context.Response.StatusCode);
                });
            }
            next(app);
        };

        private static void Observe(HttpContext context, int status)
        {
            // 499: the client had gone; nobody received an answer.
            if (status == StatusCodes.Status499ClientClosedRequest)
            {
                return;
            }
            // The exception handler clears the endpoint before it answers (400, 413, 503…) and keeps it in its feature;
            // routing answers a wrong media type (415) or method with an endpoint of its own, so the path is matched here.
            var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
            var route = endpoint is RouteEndpoint { RoutePattern.RawText: { } raw } && IsApi(raw) ? raw : RouteOf(context);
            if (route is not null)
            {
                Record(context.Request.Method, route, status);
            }
        }

        private static bool IsApi(string route) => route.TrimStart('/').StartsWith("api/", StringComparison.Ordinal);

        private static string? RouteOf(HttpContext context)
        {
            var path = context.Request.Path.Value ?? "";
            return context.RequestServices.GetService(typeof(EndpointDataSource)) is not EndpointDataSource endpoints ? null
                : endpoints.Endpoints.OfType<RouteEndpoint>()
                    .Where(candidate => candidate.RoutePattern.RawText is { } raw && IsApi(raw)
                        && candidate.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase) == true)
                    .Select(candidate => candidate.RoutePattern.RawText!)
                    .FirstOrDefault(raw => System.Text.RegularExpressions.Regex.IsMatch(path,
                        "^/" + System.Text.RegularExpressions.Regex.Replace(raw.Trim('/'), @"\{[^}]+\}", "[^/]+") + "/?$"));
        }
    }
}
