namespace CreditDesk.Infrastructure.Persistence;

// The tables the pipeline, the webhook and the API write. Their hot paths keep hand-written SQL (Processing/,
// Webhooks/, Access/); these records are the EF model of their schema, so migrations and the snapshot know them.

/// <summary>An application waiting to be assessed: claimed with a lease by one node at a time (application_outbox).</summary>
public sealed class OutboxRecord
{
    public long Id { get; set; }
    public Guid ApplicationId { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset AvailableAt { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimedUntil { get; set; }
    public string? LastError { get; set; }
    public string? TraceParent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An application whose processing failed for good, until an admin retries or ignores it (dead_letters).</summary>
public sealed class DeadLetterRecord
{
    public long Id { get; set; }
    public Guid ApplicationId { get; set; }
    public int Attempts { get; set; }
    public string Error { get; set; } = "";
    public DateTimeOffset FailedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? Resolution { get; set; }
}

/// <summary>One bank webhook delivery as received, processed or refused (webhook_events).</summary>
public sealed class WebhookEventRecord
{
    public long Id { get; set; }
    public string EventId { get; set; } = "";
    /// <summary>The bank whose key signed it (event ids are unique per bank); null for events from before bank partners.</summary>
    public Guid? BankId { get; set; }
    public byte[] BodyHash { get; set; } = [];
    public string EventType { get; set; } = "";
    public Guid? ApplicationId { get; set; }
    public string Outcome { get; set; } = "";
    public int StatusCode { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>A claimed Idempotency-Key and, once the create committed, its stored answer (idempotency_keys).</summary>
public sealed class IdempotencyKeyRecord
{
    public string Key { get; set; } = "";
    public byte[] RequestHash { get; set; } = [];
    public int StatusCode { get; set; }
    public string ResponseBody { get; set; } = "";
    public string? Location { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>A machine client's key, by its SHA-256 hash only (api_keys).</summary>
public sealed class ApiKeyRecord
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public byte[] KeyHash { get; set; } = [];
    public string KeyPrefix { get; set; } = "";
    public string Role { get; set; } = "";
    public string? UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
