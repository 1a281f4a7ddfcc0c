using System.Security.Cryptography;
using System.Text.Json;
using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Countries;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CreditDesk.Web.Api;

/// <summary><c>/api/v1/applications</c>: submit, list (keyset, newest first), read, audit trail and status changes.</summary>
public static partial class ApplicationsApi
{
    public const int DefaultCreateBodyLimit = 64 * 1024;
    private const int StatusBodyLimit = 16 * 1024;
    private const int MaxIdempotencyKeyLength = 100;

    public static RouteGroupBuilder MapApplicationsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/applications").RequireAuthorization(Policies.AnyRole).WithTags("Applications");
        group.MapPost("", CreateAsync).RequireAuthorization(Policies.Submit).RequireRateLimiting(RateLimits.Submit)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .Accepts<NewApplicationRequest>("application/json")
            .Produces<ApplicationResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).WithName("SubmitApplication");
        // An applicant asking for the review queue.
        group.MapGet("", ListAsync).Validated<ApplicationListQuery>().ProducesProblem(StatusCodes.Status403Forbidden).WithName("ListApplications");
        group.MapGet("{id:guid}", GetAsync).ProducesProblem(StatusCodes.Status404NotFound).WithName("GetApplication");
        group.MapGet("{id:guid}/audit", AuditAsync).ProducesProblem(StatusCodes.Status404NotFound).WithName("GetApplicationAudit");
        group.MapGet("{id:guid}/schedule", ScheduleAsync).ProducesProblem(StatusCodes.Status404NotFound).WithName("GetRepaymentSchedule");
        group.MapPatch("{id:guid}/status", ChangeStatusAsync).ValidatedBody<StatusChangeRequest>()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(StatusBodyLimit))
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("ChangeApplicationStatus");
        return group;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> CreateAsync(
        HttpContext context, SignedIn signedIn, ApplicationSubmission submission, IdempotencyStore idempotency, IOptions<JsonOptions> json, IConfiguration configuration,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("CreditDesk.Api.Applications");
        var bodyLimit = configuration.GetValue("Limits:CreateBodyBytes", DefaultCreateBodyLimit);
        var caller = signedIn.Caller;
        if (!JsonBody.IsJson(context.Request))
        {
            return ApiProblems.UnsupportedMediaType();
        }
        if (await RequestBody.ReadAsync(context.Request, bodyLimit, cancellationToken) is not { } body)
        {
            return ApiProblems.TooLarge(bodyLimit);
        }
        string? scopedKey = null;
        if (context.Request.Headers.TryGetValue("Idempotency-Key", out var keyHeader))
        {
            var key = keyHeader.ToString().Trim();
            if (key.Length is 0 or > MaxIdempotencyKeyLength)
            {
                return ApiProblems.Malformed($"Idempotency-Key must be 1 to {MaxIdempotencyKeyLength} characters.");
            }
            scopedKey = $"{caller.Id}:{key}";
            switch (await idempotency.ClaimAsync(scopedKey, SHA256.HashData(body), cancellationToken))
            {
                case IdempotencyClaim.Replay replay:
                    if (replay.Response.Location is { } location)
                    {
                        context.Response.Headers.Location = location;
                    }
                    return TypedResults.Content(replay.Response.Body, "application/json", statusCode: replay.Response.StatusCode);
                case IdempotencyClaim.Conflict conflict:
                    return ApiProblems.Conflict("idempotency_key_reused", conflict.Detail);
            }
        }

        var created = false;
        try
        {
            var (form, fieldErrors, malformed) = ApplicationRequest.Read(body);
            if (malformed is not null)
            {
                return ApiProblems.Malformed(malformed);
            }
            if (fieldErrors is not null)
            {
                return ApiProblems.Validation(fieldErrors);
            }
            switch (await submission.SubmitAsync(form!, caller.Id, caller.Id, cancellationToken))
            {
                case SubmissionResult.Invalid invalid:
                    return ApiProblems.Validation(invalid.Errors);
                case SubmissionResult.Duplicate:
                    return ApiProblems.DuplicateApplication();
                case SubmissionResult.Created ok:
                    var policy = CountryRegistry.Get(form!.Country);
                    var summary = new ApplicationSummary(ok.Id, ok.Reference, policy.Code, policy.Currency, ok.Status.ToCode(), Domain.Money.RoundToCents(form.Amount!.Value),
                        Domain.Money.RoundToCents(form.MonthlyIncome!.Value), form.TermMonths!.Value, null, ok.CreatedAt, ok.CreatedAt, null);
                    var location = $"/api/v1/applications/{ok.Id}";
                    var responseBody = JsonSerializer.Serialize(ApplicationResponse.From(summary), json.Value.SerializerOptions);
                    // Committed: from here the key is never released, whatever happens to the stored answer.
                    created = true;
                    if (scopedKey is not null)
                    {
                        await StoreAnswerAsync(idempotency, scopedKey, new StoredResponse(StatusCodes.Status201Created, responseBody, location), logger);
                    }
                    context.Response.Headers.Location = location;
                    return TypedResults.Content(responseBody, "application/json", statusCode: StatusCodes.Status201Created);
                default:
                    throw new InvalidOperationException("Unknown submission result.");
            }
        }
        finally
        {
            // Only a created application is replayed; anything else is recomputed on retry (validation is deterministic).
            if (scopedKey is not null && !created)
            {
                await idempotency.ReleaseAsync(scopedKey, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Keeps the answer for replays. If that fails the application still exists, so the client is told 201 and the key
    /// stays claimed: a retry is answered "still being processed" (409), never with a second application.
    /// </summary>
    private static async Task StoreAnswerAsync(IdempotencyStore idempotency, string scopedKey, StoredResponse answer, ILogger logger)
    {
        try
        {
            await idempotency.CompleteAsync(scopedKey, answer, CancellationToken.None);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
        {
            AnswerNotStored(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The answer to an idempotent create could not be stored; the key stays claimed")]
    private static partial void AnswerNotStored(ILogger logger, Exception exception);

    private static async Task<Results<Ok<ApplicationListResponse>, ProblemHttpResult>> ListAsync(
        SignedIn signedIn, [AsParameters] ApplicationListQuery query, ApplicationQueries queries, CancellationToken cancellationToken)
    {
        var caller = signedIn.Caller;
        if (query.AssignedTo is not null && caller.IsApplicant)
        {
            return ApiProblems.Forbidden("The review queue is for staff.");
        }
        var assignedTo = query.AssignedTo == AssignmentRequest.Me ? caller.Id : query.AssignedTo;
        var page = await queries.ListAsync(caller, new ApplicationFilter(query.Country, query.Status, Search: query.Q, AssignedTo: assignedTo),
            query.PageSize, query.After, cancellationToken);
        var items = page.Items.Select(item => caller.IsApplicant ? ApplicantResponses.Application(item) : ApplicationResponse.From(item)).ToList();
        return TypedResults.Ok(new ApplicationListResponse(items, page.Next?.Encode()));
    }

    private static async Task<Results<Ok<ApplicationResponse>, ProblemHttpResult>> GetAsync(
        SignedIn signedIn, ApplicationQueries queries, DecisionTrail trail, Guid id, CancellationToken cancellationToken)
    {
        if (await queries.GetAsync(signedIn.Caller, id, cancellationToken) is not { } detail)
        {
            return ApiProblems.NotFound($"Application {id}");
        }
        if (!signedIn.Caller.IsApplicant)
        {
            return TypedResults.Ok(ApplicationResponse.From(detail));
        }
        var response = ApplicantResponses.Application(detail);
        if (detail.Summary.Status is "APPROVED" or "REJECTED" or "UNDER_REVIEW")
        {
            // The notice trail: what the applicant's software was told of the decision (in English, the API's language).
            var words = new[] { Localization.DeskText.English(ApplicantView.Describe(detail.Summary.Status)) }
                .Concat(response.Reasons?.Select(reason => reason.Text) ?? []).Append(response.HumanReview ?? "");
            await trail.RecordNoticeAsync(id, "api", "en", string.Join("\n", words.Where(word => word.Length > 0)), cancellationToken);
        }
        return TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> ScheduleAsync(
        SignedIn signedIn, ApplicationQueries queries, Guid id, CancellationToken cancellationToken) =>
        await queries.GetSummaryAsync(signedIn.Caller, id, cancellationToken) is { Quote: { } quote } summary
            ? TypedResults.Ok(ScheduleResponse.From(summary, quote))
            : ApiProblems.NotFound($"Application {id}");

    /// <summary>Staff read the audit rows; an applicant reads the same history in plain words (<see cref="ApplicantAuditResponse"/>).</summary>
    private static async Task<Results<Ok<IReadOnlyList<AuditResponse>>, Ok<IReadOnlyList<ApplicantAuditResponse>>, ProblemHttpResult>> AuditAsync(
        SignedIn signedIn, ApplicationQueries queries, Guid id, CancellationToken cancellationToken) =>
        await queries.AuditAsync(signedIn.Caller, id, cancellationToken) is not { } audit
            ? ApiProblems.NotFound($"Application {id}")
            : signedIn.Caller.IsApplicant
                ? TypedResults.Ok(ApplicantResponses.Audit(audit))
                : TypedResults.Ok<IReadOnlyList<AuditResponse>>(audit.Select(AuditResponse.From).ToList());

    private static async Task<Results<Ok<ApplicationResponse>, ProblemHttpResult>> ChangeStatusAsync(
        SignedIn signedIn, StatusChangeRequest request, StatusChanges changes, ApplicationQueries queries, Guid id, CancellationToken cancellationToken)
    {
        var caller = signedIn.Caller;
        var target = request.Target;
        if (caller.Actor is not { } actor || (actor == Actor.Applicant && target != ApplicationStatus.Cancelled))
        {
            return ApiProblems.Forbidden("Your role cannot make this status change.");
        }
        var result = await changes.ChangeAsync(id, target, actor, caller.Id, request.Reason, cancellationToken, applicantUserId: caller.Id);
        return result switch
        {
            StatusChangeResult.Changed => await queries.GetAsync(caller, id, cancellationToken) is { } detail
                ? TypedResults.Ok(ApplicationResponse.From(detail))
                : ApiProblems.NotFound($"Application {id}"),
            StatusChangeResult.NotFound => ApiProblems.NotFound($"Application {id}"),
            StatusChangeResult.Refused refused => ApiProblems.FromDomain(refused.Error),
            StatusChangeResult.Conflict conflict => ApiProblems.Conflict("changed_by_someone_else",
                $"The application was changed by someone else; it is now {conflict.Current.ToCode()}."),
            StatusChangeResult.FourEyesRequired limit => ApiProblems.Conflict("four_eyes_required",
                $"Above {WireMoney.Format(limit.Limit)} {limit.Currency} a decision needs two people: POST it to /api/v1/applications/{id}/proposals and another admin confirms it."),
            _ => throw new InvalidOperationException("Unknown status change result."),
        };
    }
}
