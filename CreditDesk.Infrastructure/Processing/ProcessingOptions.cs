namespace CreditDesk.Infrastructure.Processing;

/// <summary>How the outbox is drained (section <c>Processing</c>).</summary>
public sealed class ProcessingOptions
{
    public const string Section = "Processing";

    public bool Enabled { get; set; } = true;
    public int BatchSize { get; set; } = 64;
    public int MaxConcurrency { get; set; } = 16;
    /// <summary>How many groups of decisions a node commits at once (see <c>DecisionWriter</c>).</summary>
    public int DecisionWriters { get; set; } = 2;
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);
    public int MaxAttempts { get; set; } = 5;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>How often expired Idempotency-Keys are deleted (one node per fire).</summary>
    public TimeSpan IdempotencySweepInterval { get; set; } = TimeSpan.FromMinutes(10);
    public int SchedulerThreads { get; set; } = 4;
}

/// <summary>
/// This process's name in the cluster: claims and Quartz check-ins carry it. <see cref="Process"/> tells this run apart
/// from an earlier one of the same name: its database connections carry <see cref="ConnectionName"/>, so the other nodes
/// see it go (see <c>PostgresNotificationListener</c>).
/// </summary>
public sealed record NodeIdentity(string Id)
{
    /// <summary>How every connection of every node starts its <c>application_name</c>.</summary>
    public const string ConnectionPrefix = "creditdesk/";

    public string Process { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>This process's <c>application_name</c>, within the 63 bytes PostgreSQL keeps (an ASCII prefix of the id).</summary>
    public string ConnectionName => $"{ConnectionPrefix}{Process}/{new string(Id.Where(char.IsAscii).Take(38).ToArray())}";

    public static NodeIdentity Create(string? configured) =>
        new(string.IsNullOrWhiteSpace(configured) ? $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}" : configured);
}
