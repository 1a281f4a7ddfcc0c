namespace CreditDesk.Infrastructure.Persistence;

// Outgoing events (Standard Webhooks). Written in the transaction of the status change that caused them (a trigger on
// application_audit, see the OutgoingWebhooks migration); delivered by Webhooks/Outgoing. These records are the EF model
// of their schema; the hot paths keep hand-written SQL.

/// <summary>A partner's receiver (webhook_endpoints): where events go, which ones, its signing secrets (encrypted), its state.</summary>
public sealed class WebhookEndpointRecord
{
    public Guid Id { get; set; }
    public string Url { get; set; } = "";
    public string? Description { get; set; }
    public string[] EventTypes { get; set; } = [];
    /// <summary>At most this many deliveries to the endpoint at once, over the whole cluster.</summary>
    public int MaxConcurrency { get; set; }
    public byte[] SecretCipher { get; set; } = [];
    /// <summary>The secret before the last rotation, still signed with until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public byte[]? PreviousSecretCipher { get; set; }
    /// <summary>The PII key both secrets are encrypted with (re-encrypted together by a rotation of either; see PiiKeyRotation).</summary>
    public string PiiKeyId { get; set; } = "";
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset? DisabledAt { get; set; }
    /// <summary><c>admin</c> or <c>failing</c> (its deliveries kept failing for the configured days).</summary>
    public string? DisabledReason { get; set; }
    /// <summary>When its deliveries started failing with no success since; null while it answers.</summary>
    public DateTimeOffset? FailingSince { get; set; }
}

/// <summary>One event as sent to every subscribed endpoint (webhook_messages): its stable <c>webhook-id</c> and JSON body.</summary>
public sealed class WebhookMessageRecord
{
    public long Id { get; set; }
    public string MessageId { get; set; } = "";
    public string EventType { get; set; } = "";
    public Guid ApplicationId { get; set; }
    public string Payload { get; set; } = "";
    public DateTimeOffset OccurredAt { get; set; }
}

/// <summary>A message on its way to one endpoint (webhook_deliveries): pending with its next attempt, delivered or failed.</summary>
public sealed class WebhookDeliveryRecord
{
    public long Id { get; set; }
    public long MessageId { get; set; }
    public Guid EndpointId { get; set; }
    public Guid ApplicationId { get; set; }
    public string State { get; set; } = "";
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>Retries continue until this plus the retry window (reset by a manual re-delivery).</summary>
    public DateTimeOffset RetryFrom { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimedUntil { get; set; }
    /// <summary>The next attempt was asked for by an admin (a re-delivery); the attempt log says so.</summary>
    public bool Manual { get; set; }
    public int? LastStatusCode { get; set; }
    public int? LastLatencyMs { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

/// <summary>One HTTP attempt of a delivery (webhook_attempts): the endpoint's delivery log.</summary>
public sealed class WebhookAttemptRecord
{
    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public Guid EndpointId { get; set; }
    public DateTimeOffset AttemptedAt { get; set; }
    public int? StatusCode { get; set; }
    public int LatencyMs { get; set; }
    public string? Error { get; set; }
    public string Node { get; set; } = "";
    public bool Manual { get; set; }
}
