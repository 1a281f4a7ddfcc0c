using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditDesk.Web.Api;

/// <summary>One kind of refusal the API can answer with: its <c>type</c> is <c>/api/v1/problems/{code}</c>.</summary>
public sealed record ProblemType(string Code, IReadOnlyList<int> Statuses, string Title, bool Retryable, string Description)
{
    /// <summary>The status this problem is answered with (the first; a few codes are answered by two endpoints differently).</summary>
    public int Status => Statuses[0];

    public string Type => ProblemsApi.TypeBase + Code;
}

/// <summary>
/// <c>GET /api/v1/problems</c> and <c>/api/v1/problems/{code}</c>: every problem <c>type</c> the API can answer, with
/// its status, title, whether retrying the same request can succeed, and what to do. <see cref="ApiProblems"/> answers
/// only codes listed here (a test reads every code the source uses).
/// </summary>
public static class ProblemsApi
{
    public const string TypeBase = "/api/v1/problems/";

    public static IReadOnlyList<ProblemType> All { get; } =
    [
        new("validation", [422], "The request has invalid fields.", false, "One or more fields are missing or invalid; `errors` lists each field with its messages. Fix them and send the request again."),
        new("malformed_request", [400], "The request could not be read.", false, "The body is not JSON of this endpoint's shape (a repeated key, a wrong type, an unpaired surrogate). Nothing was changed."),
        new("bad_request", [400, 408, 431], "The request could not be read.", false, "The server could not read the request (a body shorter than its Content-Length, headers too large, a body sent too slowly). Nothing was changed."),
        new("unauthorized", [401], "Authentication required.", false, "Send a valid API key as `Authorization: Bearer <key>` (or sign in); a bank signs its webhook with one of its keys (`kid=`). A revoked key is refused on every node within a second."),
        new("forbidden", [403], "Not allowed.", false, "Your role may not do this, or a browser request came without this site's Origin."),
        new("bank_inactive", [403], "Not allowed.", false, "The bank whose key signed this webhook is deactivated; an admin can activate it again."),
        new("application_not_with_bank", [403], "Not allowed.", false, "A bank acts only on applications disbursed through it; nothing was recorded, so the same event applies once an admin gives the application to that bank."),
        new("own_proposal", [403], "Not allowed.", false, "A four-eyes proposal is confirmed or declined by a different admin than the one who made it."),
        new("not_found", [404], "Not found.", false, "The resource does not exist or is not visible to you (an applicant sees only their own applications)."),
        new("no_decision", [404], "Not decided yet.", true, "The application has no decision yet; ask again once it is decided (usually within a second)."),
        new("duplicate_application", [409], "An active application already exists.", false, "This person already has an application in this country that is not final."),
        new("invalid_transition", [409, 422], "The application cannot make that move.", false, "The lifecycle does not allow this status change from the current status (409 on the status endpoint; 422 on a bank's confirmation webhook)."),
        new("changed_by_someone_else", [409], "Conflict.", true, "The application changed between your read and your write; read it again and decide on its current status."),
        new("four_eyes_required", [409], "Conflict.", false, "Above the currency's four-eyes limit a decision is a proposal another admin confirms: POST it to the application's proposals."),
        new("idempotency_key_reused", [409], "Conflict.", true, "The Idempotency-Key was used with a different body, or its first request is still running (retry that one later)."),
        new("event_id_reused", [409], "Conflict.", false, "This webhook event_id was already delivered with a different body."),
        new("proposal_pending", [409], "Conflict.", false, "The application already has a proposal waiting for confirmation."),
        new("proposal_closed", [409], "Conflict.", false, "The proposal was already confirmed, declined or superseded by a status change."),
        new("not_under_review", [409], "Conflict.", false, "Only applications under review are assigned."),
        new("already_assigned", [409], "Conflict.", false, "Someone else is working on this application; an admin can reassign it."),
        new("note_locked", [409], "Conflict.", false, "A note can be changed only by its author within 5 minutes of writing it."),
        new("not_eligible", [409], "Conflict.", false, "A human review can be asked only of a decision the rules made alone."),
        new("review_already_requested", [409], "Conflict.", false, "A human review of this decision has already been asked for."),
        new("review_already_answered", [409], "Conflict.", false, "This review already has its outcome."),
        new("product_exists", [409], "Conflict.", false, "A loan product with exactly these terms already exists."),
        new("delivery_in_flight", [409], "Conflict.", true, "The webhook delivery is being attempted right now; ask for a re-delivery once that attempt has finished."),
        new("not_approved", [409], "Conflict.", false, "Only an approved application that is not yet disbursed can be given to another bank."),
        new("too_many_documents", [409], "Conflict.", false, "An application holds at most its limit of supporting documents."),
        new("payload_too_large", [413], "The request body is too large.", false, "The body is over this endpoint's limit; `detail` says the limit."),
        new("unsupported_media_type", [415], "The body must be JSON.", false, "Send `Content-Type: application/json`."),
        new("unsupported_document", [415], "The file is not a PDF, PNG or JPEG.", false, "Documents are recognised by their content, not their name; nothing was stored."),
        new("unknown_application", [422], "The request cannot be applied.", false, "A bank confirmed an application CreditDesk does not know; the event is recorded and answered the same on every retry."),
        new("amount_mismatch", [422], "The request cannot be applied.", false, "A bank confirmed an amount other than the application's."),
        new("method_not_allowed", [405], "Method not allowed.", false, "This address does not take that HTTP method; the OpenAPI document lists the ones it takes."),
        new("server_error", [500], "Something went wrong on our side.", true, "An unexpected error; nothing you sent caused it. Retrying may succeed; `trace_id` identifies it for support."),
        new("antiforgery", [400], "The form's antiforgery token is missing or not valid.", false, "Sign out and other forms are posted from CreditDesk's own pages."),
        new("rate_limited", [429], "Too many requests.", true, "Slow down: retry after the seconds in `Retry-After`."),
        new("application_busy", [503], "The service is temporarily unavailable.", true, "A bank event's application kept changing while the event was judged; nothing was recorded. Retry after the seconds in `Retry-After`."),
        new("database_unavailable", [503], "The service is temporarily unavailable.", true, "The database cannot be reached; nothing was changed. Retry after the seconds in `Retry-After`."),
    ];

    private static readonly Dictionary<string, ProblemType> ByCode = All.ToDictionary(problem => problem.Code, StringComparer.Ordinal);

    public static ProblemType? Find(string code) => ByCode.GetValueOrDefault(code);

    /// <summary>The codes a bare status of the framework's (no body of ours) is answered with.</summary>
    private static readonly Dictionary<int, string> ByStatus = new()
    {
        [StatusCodes.Status400BadRequest] = "bad_request",
        [StatusCodes.Status401Unauthorized] = "unauthorized",
        [StatusCodes.Status403Forbidden] = "forbidden",
        [StatusCodes.Status404NotFound] = "not_found",
        [StatusCodes.Status405MethodNotAllowed] = "method_not_allowed",
        [StatusCodes.Status413PayloadTooLarge] = "payload_too_large",
        [StatusCodes.Status415UnsupportedMediaType] = "unsupported_media_type",
        [StatusCodes.Status429TooManyRequests] = "rate_limited",
        [StatusCodes.Status500InternalServerError] = "server_error",
    };

    /// <summary>Gives a problem the framework wrote (with RFC 9110's type) the registered type, title and a trace id.</summary>
    public static void Register(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type?.StartsWith(TypeBase, StringComparison.Ordinal) == true
            || !ByStatus.TryGetValue(problem.Status ?? context.HttpContext.Response.StatusCode, out var code))
        {
            return;
        }
        problem.Type = TypeBase + code;
        problem.Title = ByCode[code].Title;
        problem.Extensions.TryAdd("trace_id", System.Diagnostics.Activity.Current?.TraceId.ToString());
    }

    public sealed record ProblemTypeResponse(string Type, string Code, int Status, IReadOnlyList<int> Statuses, string Title, bool Retryable, string Description)
    {
        public static ProblemTypeResponse From(ProblemType problem) =>
            new(problem.Type, problem.Code, problem.Status, problem.Statuses, problem.Title, problem.Retryable, problem.Description);
    }

    public static IEndpointRouteBuilder MapProblemsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/problems").AllowAnonymous().WithMetadata(OpenApiContract.ReadsNoDatabase.Instance).WithTags("Problems");
        group.MapGet("/", () => TypedResults.Ok(All.Select(ProblemTypeResponse.From).ToList())).WithName("ListProblemTypes");
        group.MapGet("/{code}", Results<Ok<ProblemTypeResponse>, ProblemHttpResult> (string code) =>
            Find(code) is { } problem ? TypedResults.Ok(ProblemTypeResponse.From(problem)) : ApiProblems.NotFound($"Problem type '{code}'"))
            .ProducesProblem(StatusCodes.Status404NotFound).WithName("GetProblemType");
        return endpoints;
    }
}
