using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using CreditDesk.Domain;

namespace CreditDesk.Web.Api;

/// <summary>
/// The one catalogue of error answers (RFC 9457 problem details): every refusal the API gives has a stable type, a
/// title, the status, a human detail and the trace id. Domain errors map here by code, never by message text.
/// </summary>
public static class ApiProblems
{
    private const string TypeBase = "https://creditdesk.dev/problems/";

    public static ProblemHttpResult Validation(IReadOnlyDictionary<string, string[]> errors) =>
        Problem(StatusCodes.Status422UnprocessableEntity, "validation", "The request has invalid fields.",
            "Fix the fields listed in errors and send it again.", errors);

    public static ProblemHttpResult Malformed(string detail) =>
        Problem(StatusCodes.Status400BadRequest, "malformed_request", "The request could not be read.", detail);

    public static ProblemHttpResult NotFound(string what) =>
        Problem(StatusCodes.Status404NotFound, "not_found", "Not found.", $"{what} does not exist or is not visible to you.");

    public static ProblemHttpResult DuplicateApplication() =>
        Problem(StatusCodes.Status409Conflict, "duplicate_application", "An active application already exists.",
            "This person already has an application in this country that is not final.");

    public static ProblemHttpResult Conflict(string code, string detail) =>
        Problem(StatusCodes.Status409Conflict, code, "Conflict.", detail);

    public static ProblemHttpResult Forbidden(string detail) =>
        Problem(StatusCodes.Status403Forbidden, "forbidden", "Not allowed.", detail);

    public static ProblemHttpResult Unauthorized(string detail) =>
        Problem(StatusCodes.Status401Unauthorized, "unauthorized", "Authentication required.", detail);

    public static ProblemHttpResult NotSignedIn() => Unauthorized("Sign in or send an API key.");

    public static ProblemHttpResult UnsupportedMediaType() =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "The body must be JSON.", "Send Content-Type: application/json.");

    public static ProblemHttpResult TooLarge(long? limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "The request body is too large.",
            limit is null ? "The body is over this endpoint's limit." : $"The limit is {limit} bytes.");

    public static ProblemHttpResult Unprocessable(string code, string detail) =>
        Problem(StatusCodes.Status422UnprocessableEntity, code, "The request cannot be applied.", detail);

    /// <summary>Domain errors by code: lifecycle refusals are conflicts with the application's state.</summary>
    public static ProblemHttpResult FromDomain(DomainError error) => error.Code switch
    {
        "reason_required" => Validation(new Dictionary<string, string[]> { ["reason"] = [error.Message] }),
        "unknown_country" => Validation(new Dictionary<string, string[]> { ["country"] = [error.Message] }),
        _ => Problem(StatusCodes.Status409Conflict, error.Code, "The application cannot make that move.", error.Message),
    };

    public static ProblemHttpResult Problem(int status, string code, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var extensions = new Dictionary<string, object?> { ["trace_id"] = Activity.Current?.TraceId.ToString() };
        if (errors is not null)
        {
            extensions["errors"] = errors;
        }
        return TypedResults.Problem(detail, instance: null, status, title, TypeBase + code, extensions);
    }
}
