namespace CreditDesk.Web.Security;

/// <summary>
/// A state-changing API call carried by the browser's cookie (not by an API key) must come from this site: its Origin
/// header (browsers send one on every POST, PATCH and DELETE) must be ours. Another site's page cannot use a signed-in
/// person's cookie to submit, cancel or change anything. (JSON-only endpoints already refuse the content types a
/// cross-site form can send; this closes the rest.)
/// </summary>
public static class CrossSiteWrites
{
    public static IApplicationBuilder UseCrossSiteWriteProtection(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api") && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
            && !HttpMethods.IsOptions(request.Method) && !ApiKeyAuthenticationHandler.HasBearer(request)
            && context.User.Identity?.IsAuthenticated == true
            && !request.Path.StartsWithSegments("/api/v1/webhooks") && !IsSameOrigin(request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await Api.ApiProblems.Forbidden("A browser session can change things only from CreditDesk's own pages (the Origin header must be this site); machines use an API key.")
                .ExecuteAsync(context);
            return;
        }
        await next();
    });

    private static bool IsSameOrigin(HttpRequest request) =>
        Uri.TryCreate(request.Headers.Origin.ToString(), UriKind.Absolute, out var origin)
        && string.Equals(origin.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(origin.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
