using Microsoft.AspNetCore.Antiforgery;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace CreditDesk.Web.Api;

/// <summary>
/// Errors the client caused but the framework raises as exceptions — a body shorter than its Content-Length, a form post
/// without a valid antiforgery token — are the client's 4xx, logged as such, never a 500 counted as the server's fault.
/// </summary>
public sealed partial class ClientErrorHandler(ILogger<ClientErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => ApiProblems.UnsupportedMediaType(),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                ApiProblems.TooLarge(httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize),
            // A typed body that is not JSON of its shape: the path says where, never what was sent.
            BadHttpRequestException { InnerException: JsonException json } =>
                ApiProblems.Malformed($"The body is not JSON of this endpoint's shape{(json.Path is { } path ? $" (at {path})" : "")}; nothing was changed."),
            BadHttpRequestException bad => ApiProblems.Problem(bad.StatusCode, "bad_request",
                "Nothing was changed. Check the request and send it again."),
            AntiforgeryValidationException => ApiProblems.Problem(StatusCodes.Status400BadRequest, "antiforgery", "Nothing was changed. Check the request and send it again."),
            _ => null,
        };
        if (problem is null || httpContext.Response.HasStarted)
        {
            return false;
        }
        LogClientError(logger, problem.StatusCode, problem.ProblemDetails.Type ?? "");
        httpContext.Response.StatusCode = problem.StatusCode;
        await problem.ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Client error {StatusCode} ({Problem}): answered without a server error")]
    private static partial void LogClientError(ILogger logger, int statusCode, string problem);
}
