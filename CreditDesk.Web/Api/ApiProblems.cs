using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using CreditDesk.Domain;

namespace CreditDesk.Web.Api;

/// <summary>
/// The one catalogue of error answers (RFC 9457 problem details): every refusal the API gives has a stable type, a
/// title, the status, a human detail and the trace id. Domain errors map here by code, never by message text. Every
/// code is listed in <see cref="ProblemsApi"/>, whose entry the <c>type</c> URI resolves to.
/// </summary>
public static class ApiProblems
{

    public static ProblemHttpResult Validation(IReadOnlyDictionary<string, string[]> errors) =>
        Problem(StatusCodes.Status422UnprocessableEntity, "validation",
            "Fix the fields listed in errors and send it again.", errors);

    public static ProblemHttpResult Malformed(string detail) =>
        Problem(StatusCodes.Status400BadRequest, "malformed_request", detail);

    public static ProblemHttpResult NotFound(string what) =>
        Problem(StatusCodes.Status404NotFound, "not_found", $"{what} does not exist or is not visible to you.");

    public static ProblemHttpResult DuplicateApplication() =>
        Problem(StatusCodes.Status409Conflict, "duplicate_application",
            "This person already has an application in this country that is not final.");

    public static ProblemHttpResult Conflict(string code, string detail) =>
        Problem(StatusCodes.Status409Conflict, code, detail);

    public static ProblemHttpResult Forbidden(string detail) =>
        Problem(StatusCodes.Status403Forbidden, "forbidden", detail);

    public static ProblemHttpResult Unauthorized(string detail) =>
        Problem(StatusCodes.Status401Unauthorized, "unauthorized", detail);

    public static ProblemHttpResult NotSignedIn() => Unauthorized("Sign in or send an API key.");

    public static ProblemHttpResult UnsupportedMediaType() =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send Content-Type: application/json.");

    public static ProblemHttpResult TooLarge(long? limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "payload_too_large",
            limit is null ? "The body is over this endpoint's limit." : $"The limit is {limit} bytes.");

    public static ProblemHttpResult Unprocessable(string code, string detail) =>
        Problem(StatusCodes.Status422UnprocessableEntity, code, detail);

    /// <summary>Domain errors by code: lifecycle refusals are conflicts with the application's state.</summary>
    public static ProblemHttpResult FromDomain(DomainError error) => error.Code switch
    {
        "reason_required" => Validation(new Dictionary<string, string[]> { ["reason"] = [error.Message] }),
        "unknown_country" => Validation(new Dictionary<string, string[]> { ["country"] = [error.Message] }),
        _ => Problem(StatusCodes.Status409Conflict, error.Code, error.Message),
    };

    /// <summary>A refusal of a registered kind: its title is the kind's (the same on every occurrence), the detail this one's.</summary>
    public static ProblemHttpResult Problem(int status, string code, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var title = ProblemsApi.Find(code)?.Title ?? "The request was refused.";
        var extensions = new Dictionary<string, object?> { ["trace_id"] = Activity.Current?.TraceId.ToString() };
        if (errors is not null)
        {
            extensions["errors"] = errors;
        }
        return TypedResults.Problem(detail, instance: null, status, title, ProblemsApi.TypeBase + code, extensions);
    }
}
