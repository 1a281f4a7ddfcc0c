namespace CreditDesk.Web.Security;

/// <summary>CSP and the usual headers. Blazor Server and MudBlazor need inline styles (theme variables, positions) and a WebSocket back to the origin; no unsafe-eval, no inline script.</summary>
public static class SecurityHeaders
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // Set as the response starts, so they replace what antiforgery or the framework added on the way.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // The API reference (/docs) starts Scalar with an inline script that carries this request's nonce; nothing else runs inline.
            headers.ContentSecurityPolicy = context.Items.TryGetValue(Scalar.AspNetCore.ScalarOptions.NonceHttpContextItemKey, out var nonce) && nonce is string value
                ? ContentSecurityPolicy.Replace("script-src 'self'", $"script-src 'self' 'nonce-{value}'", StringComparison.Ordinal)
                : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            // API answers carry names, documents and decisions: no browser or proxy keeps a copy.
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                headers.CacheControl = "no-store";
            }
            return Task.CompletedTask;
        });
        await next();
    });
}
