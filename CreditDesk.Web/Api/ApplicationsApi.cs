using System.Security.Cryptography;
using System.Text.Json;
using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Countries;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Web.Security;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CreditDesk.Web.Api;

/// <summary><c>/api/v1/applications</c>: submit, list (keyset, newest first), read, audit trail and status changes.</summary>
public static partial class ApplicationsApi
{
    public const int DefaultCreateBodyLimit = 64 * 1024;
    private const int StatusBodyLimit = 16 * 1024;
    private const int MaxIdempotencyKeyLength = 100;
    private const int DefaultPageSize = 50;

    public static RouteGroupBuilder MapApplicationsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/applications").RequireAuthorization().WithTags("Applications");
        group.MapPost("", CreateAsync).RequireAuthorization(Policies.Submit).RequireRateLimiting(RateLimits.Submit);
        group.MapGet("", ListAsync);
        group.MapGet("{id:guid}", GetAsync);
        group.MapGet("{id:guid}/audit", AuditAsync);
        group.MapPatch("{id:guid}/status", ChangeStatusAsync);
        return group;
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, ApplicationSubmission submission, IdempotencyStore idempotency, IOptions<JsonOptions> json, IConfiguration configuration,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("CreditDesk.Api.Applications");
        var bodyLimit = configuration.GetValue("Limits:CreateBodyBytes", DefaultCreateBodyLimit);
        if (Caller.From(context.User) is not { } caller)
        {
            return ApiProblems.NotSignedIn();
        }
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
                    return Results.Content(replay.Response.Body, "application/json", statusCode: replay.Response.StatusCode);
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
                    return Results.Content(responseBody, "application/json", statusCode: StatusCodes.Status201Created);
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

    private const int MaxSearchLength = 64;

    private static async Task<IResult> ListAsync(
        HttpContext context, ApplicationQueries queries, string? country, string? status, string? limit, string? cursor, string? q, CancellationToken cancellationToken)
    {
        if (Caller.From(context.User) is not { } caller)
        {
            return ApiProblems.NotSignedIn();
        }
        var errors = new Dictionary<string, string[]>();
        if (country is not null && !CountryRegistry.TryGet(country, out _))
        {
            errors["country"] = [$"'{country}' is not a country CreditDesk lends in."];
        }
        if (status is not null && !ApplicationStatusCodes.TryParse(status, out _))
        {
            errors["status"] = [$"Status must be one of {string.Join(", ", ApplicationStatusCodes.AllCodes)}."];
        }
        var pageSize = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, out pageSize) || pageSize is < 1 or > ApplicationQueries.MaxPageSize))
        {
            errors["limit"] = [$"Limit must be a whole number from 1 to {ApplicationQueries.MaxPageSize}."];
        }
        if (!PageCursor.TryDecode(cursor, out var after))
        {
            errors["cursor"] = ["The cursor is not one this API returned."];
        }
        if (q is { Length: > MaxSearchLength })
        {
            errors["q"] = [$"A search has at most {MaxSearchLength} characters: a reference, an id or an identity document."];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        var page = await queries.ListAsync(caller, new ApplicationFilter(country, status, Search: q), pageSize, after, cancellationToken);
        var items = page.Items.Select(item => caller.IsApplicant ? ApplicantResponses.Application(item) : ApplicationResponse.From(item)).ToList();
        return Results.Ok(new ApplicationListResponse(items, page.Next?.Encode()));
    }

    private static async Task<IResult> GetAsync(HttpContext context, ApplicationQueries queries, Guid id, CancellationToken cancellationToken) =>
        Caller.From(context.User) is not { } caller
            ? ApiProblems.NotSignedIn()
            : await queries.GetAsync(caller, id, cancellationToken) is { } detail
                ? Results.Ok(caller.IsApplicant ? ApplicantResponses.Application(detail) : ApplicationResponse.From(detail))
                : ApiProblems.NotFound($"Application {id}");

    private static async Task<IResult> AuditAsync(HttpContext context, ApplicationQueries queries, Guid id, CancellationToken cancellationToken) =>
        Caller.From(context.User) is not { } caller
            ? ApiProblems.NotSignedIn()
            : await queries.AuditAsync(caller, id, cancellationToken) is { } audit
                ? caller.IsApplicant ? Results.Ok(ApplicantResponses.Audit(audit)) : Results.Ok(audit.Select(AuditResponse.From).ToList())
                : ApiProblems.NotFound($"Application {id}");

    private static async Task<IResult> ChangeStatusAsync(
        HttpContext context, StatusChanges changes, ApplicationQueries queries, Guid id, CancellationToken cancellationToken)
    {
        if (Caller.From(context.User) is not { } caller)
        {
            return ApiProblems.NotSignedIn();
        }
        if (!JsonBody.IsJson(context.Request))
        {
            return ApiProblems.UnsupportedMediaType();
        }
        if (await RequestBody.ReadAsync(context.Request, StatusBodyLimit, cancellationToken) is not { } body)
        {
            return ApiProblems.TooLarge(StatusBodyLimit);
        }
        string? statusText, reason;
        using (var document = JsonBody.ParseObject(body))
        {
            if (document is null)
            {
                return ApiProblems.Malformed("The body must be a JSON object.");
            }
            statusText = document.RootElement.Text("status");
            if (document.RootElement.ReadText("reason", out reason) == TextRead.Unreadable)
            {
                return ApiProblems.Validation(new Dictionary<string, string[]> { ["reason"] = [JsonBody.UnreadableText] });
            }
        }
        if (!ApplicationStatusCodes.TryParse(statusText, out var target))
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>
            {
                ["status"] = [$"Status must be one of {string.Join(", ", ApplicationStatusCodes.AllCodes)}."],
            });
        }
        if (reason is { Length: > 500 })
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["reason"] = ["A reason has at most 500 characters."] });
        }
        if (caller.Actor is not { } actor || (actor == Actor.Applicant && target != ApplicationStatus.Cancelled))
        {
            return ApiProblems.Forbidden("Your role cannot make this status change.");
        }
        var result = await changes.ChangeAsync(id, target, actor, caller.Id, reason, cancellationToken, applicantUserId: caller.Id);
        return result switch
        {
            StatusChangeResult.Changed => await queries.GetAsync(caller, id, cancellationToken) is { } detail
                ? Results.Ok(ApplicationResponse.From(detail))
                : ApiProblems.NotFound($"Application {id}"),
            StatusChangeResult.NotFound => ApiProblems.NotFound($"Application {id}"),
            StatusChangeResult.Refused refused => ApiProblems.FromDomain(refused.Error),
            StatusChangeResult.Conflict conflict => ApiProblems.Conflict("changed_by_someone_else",
                $"The application was changed by someone else; it is now {conflict.Current.ToCode()}."),
            _ => throw new InvalidOperationException("Unknown status change result."),
        };
    }
}
