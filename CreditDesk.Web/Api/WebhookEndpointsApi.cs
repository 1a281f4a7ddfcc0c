using CreditDesk.Infrastructure.Webhooks.Outgoing;
using CreditDesk.Web.Security;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CreditDesk.Web.Api;

/// <summary>
/// <c>/api/v1/webhook-endpoints</c> (admins): partners' receivers of CreditDesk's events (Standard Webhooks). Register
/// (the <c>whsec_</c> secret is in that answer only), list, disable and enable, rotate the secret, delete; each endpoint's
/// delivery log with every attempt, and re-delivery by hand.
/// </summary>
public static class WebhookEndpointsApi
{
    public sealed record WebhookEndpointResponse(
        Guid Id, string Url, string? Description, IReadOnlyList<string> EventTypes, int MaxConcurrency, bool Enabled,
        DateTime CreatedAt, DateTime? DisabledAt, string? DisabledReason, DateTime? FailingSince, DateTime? PreviousSecretValidUntil,
        string? Secret = null)
    {
        public static WebhookEndpointResponse From(WebhookEndpoint e, string? secret = null) => new(
            e.Id, e.Url, e.Description, e.EventTypes, e.MaxConcurrency, e.Enabled, e.CreatedAt.UtcDateTime, e.DisabledAt?.UtcDateTime,
            e.DisabledReason, e.FailingSince?.UtcDateTime, e.PreviousSecretExpiresAt?.UtcDateTime, secret);
    }

    public sealed record WebhookDeliveryResponse(
        long Id, string WebhookId, string EventType, Guid ApplicationId, string State, int Attempts, DateTime CreatedAt,
        DateTime? NextAttemptAt, DateTime? DeliveredAt, int? LastStatusCode, int? LastLatencyMs, string? LastError, DateTime? LastAttemptAt)
    {
        public static WebhookDeliveryResponse From(WebhookDelivery d) => new(
            d.Id, d.MessageId, d.EventType, d.ApplicationId, d.State, d.Attempts, d.CreatedAt.UtcDateTime, d.NextAttemptAt?.UtcDateTime,
            d.DeliveredAt?.UtcDateTime, d.LastStatusCode, d.LastLatencyMs, d.LastError, d.LastAttemptAt?.UtcDateTime);
    }

    public sealed record WebhookAttemptResponse(long Id, DateTime AttemptedAt, int? StatusCode, int LatencyMs, string? Error, bool Manual);

    public sealed record RedeliveryResponse(long DeliveryId, string State);

    private const int BodyLimit = 8192;

    public static RouteGroupBuilder MapWebhookEndpointsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/webhook-endpoints").RequireAuthorization(Policies.Admin).WithTags("Webhook endpoints");
        group.MapGet("", ListAsync).WithName("ListWebhookEndpoints");
        group.MapPost("", CreateAsync).ValidatedBody<WebhookEndpointRequest>().WithMetadata(new RequestSizeLimitAttribute(BodyLimit))
            .WithName("RegisterWebhookEndpoint");
        group.MapGet("{id:guid}", GetAsync).ProducesProblem(StatusCodes.Status404NotFound).WithName("GetWebhookEndpoint");
        group.MapPost("{id:guid}/disable", DisableAsync).ProducesProblem(StatusCodes.Status404NotFound).WithName("DisableWebhookEndpoint");
        group.MapPost("{id:guid}/enable", EnableAsync).ProducesProblem(StatusCodes.Status404NotFound).WithName("EnableWebhookEndpoint");
        group.MapPost("{id:guid}/rotate-secret", RotateAsync).ProducesProblem(StatusCodes.Status404NotFound).WithName("RotateWebhookEndpointSecret");
        group.MapDelete("{id:guid}", DeleteAsync).ProducesProblem(StatusCodes.Status404NotFound).WithName("DeleteWebhookEndpoint");
        group.MapGet("{id:guid}/deliveries", DeliveriesAsync).Validated<DeliveryLogQuery>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("ListWebhookDeliveries");
        group.MapGet("{id:guid}/deliveries/{deliveryId:long}/attempts", AttemptsAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("ListDeliveryAttempts");
        group.MapPost("{id:guid}/deliveries/{deliveryId:long}/redeliver", RedeliverAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).WithName("RedeliverWebhook");
        return group;
    }

    private static async Task<Ok<List<WebhookEndpointResponse>>> ListAsync(WebhookEndpoints store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(cancellationToken)).Select(e => WebhookEndpointResponse.From(e)).ToList());

    /// <summary>The signing secret is in this answer only; CreditDesk keeps it encrypted.</summary>
    private static async Task<Created<WebhookEndpointResponse>> CreateAsync(
        WebhookEndpointRequest request, WebhookEndpoints store, SignedIn signedIn, CancellationToken cancellationToken)
    {
        var (endpoint, secret) = await store.CreateAsync(request.Url!.Trim(), string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
            request.EventTypes!, request.MaxConcurrency, signedIn.Caller.Id, cancellationToken);
        return TypedResults.Created($"/api/v1/webhook-endpoints/{endpoint.Id}", WebhookEndpointResponse.From(endpoint, secret));
    }

    private static async Task<Results<Ok<WebhookEndpointResponse>, ProblemHttpResult>> GetAsync(Guid id, WebhookEndpoints store, CancellationToken cancellationToken) =>
        Found(id, await store.FindAsync(id, cancellationToken));

    private static async Task<Results<Ok<WebhookEndpointResponse>, ProblemHttpResult>> DisableAsync(Guid id, WebhookEndpoints store, CancellationToken cancellationToken) =>
        Found(id, await store.SetEnabledAsync(id, enabled: false, cancellationToken));

    private static async Task<Results<Ok<WebhookEndpointResponse>, ProblemHttpResult>> EnableAsync(
        Guid id, WebhookEndpoints store, WebhookDispatcher dispatcher, CancellationToken cancellationToken)
    {
        var endpoint = await store.SetEnabledAsync(id, enabled: true, cancellationToken);
        dispatcher.Wake();
        return Found(id, endpoint);
    }

    /// <summary>The new secret is in this answer only; the previous one keeps signing until <c>previous_secret_valid_until</c>.</summary>
    private static async Task<Results<Ok<WebhookEndpointResponse>, ProblemHttpResult>> RotateAsync(Guid id, WebhookEndpoints store, CancellationToken cancellationToken) =>
        await store.RotateSecretAsync(id, cancellationToken) is var (endpoint, secret)
            ? TypedResults.Ok(WebhookEndpointResponse.From(endpoint, secret))
            : ApiProblems.NotFound($"Webhook endpoint {id}");

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, WebhookEndpoints store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : ApiProblems.NotFound($"Webhook endpoint {id}");

    private static async Task<Results<Ok<List<WebhookDeliveryResponse>>, ProblemHttpResult>> DeliveriesAsync(
        Guid id, [AsParameters] DeliveryLogQuery query, WebhookEndpoints store, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is null)
        {
            return ApiProblems.NotFound($"Webhook endpoint {id}");
        }
        var deliveries = await store.DeliveriesAsync(id, query.State?.ToLowerInvariant(), query.BeforeId, query.PageSize, cancellationToken);
        return TypedResults.Ok(deliveries.Select(WebhookDeliveryResponse.From).ToList());
    }

    private static async Task<Results<Ok<List<WebhookAttemptResponse>>, ProblemHttpResult>> AttemptsAsync(
        Guid id, long deliveryId, WebhookEndpoints store, CancellationToken cancellationToken) =>
        await store.AttemptsAsync(id, deliveryId, cancellationToken) is { } attempts
            ? TypedResults.Ok(attempts.Select(a => new WebhookAttemptResponse(a.Id, a.AttemptedAt.UtcDateTime, a.StatusCode, a.LatencyMs, a.Error, a.Manual)).ToList())
            : ApiProblems.NotFound($"Delivery {deliveryId} of webhook endpoint {id}");

    /// <summary>Sends the delivery again with the same <c>webhook-id</c>: due now, with a fresh retry window.</summary>
    private static async Task<Results<Accepted<RedeliveryResponse>, ProblemHttpResult>> RedeliverAsync(
        Guid id, long deliveryId, WebhookEndpoints store, WebhookDispatcher dispatcher, CancellationToken cancellationToken)
    {
        switch (await store.RedeliverAsync(id, deliveryId, cancellationToken))
        {
            case RedeliveryOutcome.Queued:
                dispatcher.Wake();
                return TypedResults.Accepted($"/api/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/attempts",
                    new RedeliveryResponse(deliveryId, WebhookEndpoints.Pending));
            case RedeliveryOutcome.InFlight:
                return ApiProblems.Conflict("delivery_in_flight", $"Delivery {deliveryId} is being attempted right now; ask again once it has finished.");
            default:
                return ApiProblems.NotFound($"Delivery {deliveryId} of webhook endpoint {id}");
        }
    }

    private static Results<Ok<WebhookEndpointResponse>, ProblemHttpResult> Found(Guid id, WebhookEndpoint? endpoint) =>
        endpoint is null ? ApiProblems.NotFound($"Webhook endpoint {id}") : TypedResults.Ok(WebhookEndpointResponse.From(endpoint));
}

/// <summary><c>POST /api/v1/webhook-endpoints</c>: where to send which events, and how many at once (1–32; 4 when left out).</summary>
public sealed record WebhookEndpointRequest(string? Url, IReadOnlyList<string>? EventTypes, string? Description, int? MaxConcurrency)
{
    public const int MaxDescriptionLength = 200;
}

public sealed class WebhookEndpointRequestValidator : AbstractValidator<WebhookEndpointRequest>
{
    public WebhookEndpointRequestValidator(WebhookEndpoints endpoints)
    {
        // The registration's rules live with the endpoints (the screen checks the same ones); the description is the API's own.
        RuleFor(request => request).CustomAsync(async (request, context, cancellationToken) =>
        {
            foreach (var problem in await endpoints.CheckAsync(request.Url, request.EventTypes, request.MaxConcurrency, cancellationToken))
            {
                context.AddFailure(problem.Field, problem.Message);
            }
        });
        RuleFor(request => request.Description)
            .StorableText(WebhookEndpointRequest.MaxDescriptionLength, $"A description has at most {WebhookEndpointRequest.MaxDescriptionLength} characters.")
            .OverridePropertyName("description");
    }
}

/// <summary>A page of an endpoint's delivery log: <c>state</c> (pending, delivered, failed), <c>before_id</c>, <c>limit</c> (1–200, 50).</summary>
public sealed record DeliveryLogQuery(string? State, [property: FromQuery(Name = "before_id")] string? Before, string? Limit)
{
    public long? BeforeId => Before is null ? null : long.Parse(Before, System.Globalization.CultureInfo.InvariantCulture);

    public int PageSize => Limit is null ? 50 : int.Parse(Limit, System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class DeliveryLogQueryValidator : AbstractValidator<DeliveryLogQuery>
{
    private static readonly string[] States = [WebhookEndpoints.Pending, WebhookEndpoints.Delivered, WebhookEndpoints.Failed];

    public DeliveryLogQueryValidator()
    {
        RuleFor(query => query.State).Must(state => state is null || States.Contains(state, StringComparer.OrdinalIgnoreCase))
            .WithMessage($"state is one of {string.Join(", ", States)}.").OverridePropertyName("state");
        RuleFor(query => query.Before).Must(before => before is null || (long.TryParse(before, System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0))
            .WithMessage("before_id is a delivery id.").OverridePropertyName("before_id");
        RuleFor(query => query.Limit).Must(limit => limit is null || (int.TryParse(limit, System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= WebhookEndpoints.MaxLogPage))
            .WithMessage($"limit is between 1 and {WebhookEndpoints.MaxLogPage}.").OverridePropertyName("limit");
    }
}
