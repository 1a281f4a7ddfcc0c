using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;

namespace CreditDesk.Web.Api;

/// <summary>
/// Errors the client caused but the framework raises as exceptions — a body shorter than its Content-Length, a form post
/// without a valid antiforgery token — are the client's 4xx, logged as such, never a 500 counted as the server's fault.
/// </summary>
public sealed partial class ClientErrorHandler(ILogger<ClientErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, title) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "bad_request", "The request could not be read."),
            AntiforgeryValidationException => (StatusCodes.Status400BadRequest, "antiforgery", "The form's antiforgery token is missing or not valid."),
            _ => (0, "", ""),
        };
        if (status == 0 || httpContext.Response.HasStarted)
        {
            return false;
        }
        LogClientError(logger, status, code);
        httpContext.Response.StatusCode = status;
        await ApiProblems.Problem(status, code, title, "Nothing was changed. Check the request and send it again.").ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Client error {StatusCode} ({Problem}): answered without a server error")]
    private static partial void LogClientError(ILogger logger, int statusCode, string problem);
}
