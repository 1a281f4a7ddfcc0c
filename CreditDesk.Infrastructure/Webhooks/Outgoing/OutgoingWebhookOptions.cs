namespace CreditDesk.Infrastructure.Webhooks.Outgoing;

/// <summary>How events are delivered to partners' endpoints (section <c>OutgoingWebhooks</c>).</summary>
public sealed class OutgoingWebhookOptions
{
    public const string Section = "OutgoingWebhooks";

    public bool Enabled { get; set; } = true;
    /// <summary>One attempt's whole HTTP exchange; a slower endpoint counts as failed and is retried.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How long a node holds a claimed delivery beyond <see cref="Timeout"/>: a node killed mid-delivery lets it go after this.</summary>
    public TimeSpan LeaseMargin { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Retries stop this long after a delivery was created (or re-delivered by hand): it is then failed.</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(24);
    /// <summary>An endpoint whose deliveries have failed with no success for this long is disabled.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(3);
    /// <summary>How long the secret before a rotation still signs (both signatures are sent meanwhile).</summary>
    public TimeSpan RotationOverlap { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Events whose deliveries are all finished are deleted, with their log, this long after they happened (or were last sent by hand).</summary>
    public TimeSpan LogRetention { get; set; } = TimeSpan.FromDays(30);
    /// <summary>How often a node looks for due deliveries when nothing woke it (retries, other nodes' work).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Deliveries in flight on this node at most, over all endpoints.</summary>
    public int NodeConcurrency { get; set; } = 32;
    public int DefaultEndpointConcurrency { get; set; } = 4;
    public const int MaxEndpointConcurrency = 32;
    /// <summary>Endpoint URLs must be https and resolve to public addresses only (off in Development, where receivers run locally).</summary>
    public bool RequirePublicHttps { get; set; } = true;

    public TimeSpan Lease => Timeout + LeaseMargin;
}
