using System.Globalization;
using System.Security.Cryptography;
using CreditDesk.Infrastructure.Banks;
using CreditDesk.Infrastructure.Webhooks;
using CreditDesk.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditDesk.Web.Api;

/// <summary>
/// <c>POST /api/v1/webhooks/bank-confirmation</c>: banks confirm disbursements, authenticated only by the signature, which
/// names the bank's key (<see cref="BankPartners"/>); a bank acts only on the applications it disburses.
/// </summary>
public static class WebhooksApi
{
    public const int DefaultBodyLimit = 1024 * 1024;
    private const int MaxEventIdLength = 100;

    public static RouteGroupBuilder MapWebhooksApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/webhooks").AllowAnonymous().WithTags("Webhooks");
        group.MapPost("bank-confirmation", ReceiveAsync).RequireRateLimiting(RateLimits.Webhook).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .Accepts<BankConfirmationRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithMetadata(new OpenApiContract.AlsoUnavailable(
                "Also application_busy: the application kept changing while the event was judged; nothing was recorded, so the retry is judged afresh."))
            .WithName("ReceiveBankConfirmation");
        return group;
    }

    /// <summary>Reads the bytes itself: the signature is over them, and a replay must hash to the same event.</summary>
    private static async Task<Results<Ok<WebhookReceipt>, ProblemHttpResult>> ReceiveAsync(
        HttpContext context, BankConfirmations confirmations, BankPartners banks, IConfiguration configuration, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var bodyLimit = configuration.GetValue("Limits:WebhookBodyBytes", DefaultBodyLimit);
        if (!JsonBody.IsJson(context.Request))
        {
            return ApiProblems.UnsupportedMediaType();
        }
        if (await RequestBody.ReadAsync(context.Request, bodyLimit, cancellationToken) is not { } body)
        {
            return ApiProblems.TooLarge(bodyLimit);
        }
        var now = clock.GetUtcNow();
        var verdict = WebhookSignature.Read(context.Request.Headers[WebhookSignature.Header], now, out var signed);
        if (signed is null)
        {
            return ApiProblems.Unauthorized(verdict switch
            {
                WebhookSignature.Verdict.Missing => $"The {WebhookSignature.Header} header is missing.",
                WebhookSignature.Verdict.Stale => "The signature timestamp is more than 300 seconds away from now.",
                _ => $"The {WebhookSignature.Header} header must read t=<unix seconds>,kid=<your key id>,v1=<hex>.",
            });
        }
        // Unknown, revoked, expired and wrong all read the same: a caller learns nothing about which keys exist.
        if (await banks.FindSignerAsync(signed.KeyId, cancellationToken) is not { } signer || !signer.WorksAt(now) || !signed.Matches(signer.Secret, body))
        {
            return ApiProblems.Unauthorized("The signature does not match a working key of that key id.");
        }
        if (!signer.BankActive)
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "bank_inactive", "Your bank is deactivated at CreditDesk; ask us to activate it.");
        }
        if (Parse(body) is not { } bankEvent)
        {
            return ApiProblems.Malformed(
                "The body must be a JSON object with event_id, event_type (account.verified | disbursement.completed | disbursement.failed), " +
                "application_id, provider_reference, amount, currency and occurred_at.");
        }
        return await confirmations.HandleAsync(bankEvent, signer.BankId, SHA256.HashData(body), cancellationToken) switch
        {
            WebhookOutcome.Processed => TypedResults.Ok(new WebhookReceipt("processed")),
            WebhookOutcome.Duplicate => TypedResults.Ok(new WebhookReceipt("duplicate")),
            WebhookOutcome.ReusedEventId => ApiProblems.Conflict("event_id_reused", "This event_id was already delivered with a different body."),
            WebhookOutcome.NotThisBanks => ApiProblems.Problem(StatusCodes.Status403Forbidden, "application_not_with_bank",
                $"Application {bankEvent.ApplicationId} is not disbursed through your bank."),
            WebhookOutcome.Rejected rejected => ApiProblems.Unprocessable(rejected.Code, rejected.Detail),
            WebhookOutcome.Busy => Busy(context.Response),
            _ => throw new InvalidOperationException("Unknown webhook outcome."),
        };
    }

    /// <summary>Seconds a bank is asked to wait before retrying a delivery whose application was busy.</summary>
    private const int BusyRetryAfterSeconds = 1;

    private static ProblemHttpResult Busy(HttpResponse response)
    {
        response.Headers.RetryAfter = BusyRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "application_busy",
            $"The application kept changing while this event was judged. Nothing was recorded; send it again in {BusyRetryAfterSeconds} second.");
    }

    private static BankEvent? Parse(byte[] body)
    {
        using var document = JsonBody.ParseObject(body);
        if (document is null)
        {
            return null;
        }
        var root = document.RootElement;
        var eventId = root.Text("event_id");
        var eventType = root.Text("event_type");
        var reference = root.Text("provider_reference");
        var currency = root.Text("currency");
        if (eventId is not { Length: > 0 and <= MaxEventIdLength } || eventType is null || !BankEvent.Types.Contains(eventType)
            || !Guid.TryParse(root.Text("application_id"), out var applicationId) || reference is not { Length: <= 200 }
            || currency is not { Length: 3 }
            || !DateTimeOffset.TryParse(root.Text("occurred_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var occurredAt)
            || !root.TryGetProperty("amount", out var amountElement) || !WireMoney.TryRead(amountElement, out var amount))
        {
            return null;
        }
        return new BankEvent(eventId, eventType, applicationId, reference, amount, currency.ToUpperInvariant(), occurredAt);
    }

}
