using CreditDesk.Infrastructure.Events;
using CreditDesk.Infrastructure.Persistence;
using CreditDesk.Infrastructure.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CreditDesk.Infrastructure.Processing;

/// <summary>
/// Commits the drain's decisions in groups (<see cref="GroupCommit"/>): each worker hands over its statement (the
/// claim-gated outbox removal, move, audit and decision record of one application) and waits; up to
/// <see cref="ProcessingOptions.DecisionWriters"/> groups commit at once. The drain was bound by WAL flushes, one per
/// decision (docs/PERFORMANCE.md, B2). Each statement stays gated by its own claim, so a group can hold statements that
/// write nothing.
/// </summary>
public sealed class DecisionWriter(NpgsqlDataSource dataSource, IOptions<ProcessingOptions> options, ILogger<DecisionWriter> logger)
{
    private readonly GroupCommit groups = new(dataSource, options.Value.DecisionWriters, "decision.write", CreditDeskTelemetry.DecisionBatchSize, logger);

    /// <summary>
    /// Writes one statement whose result is <see cref="StatusWrites.MovedColumns"/> (one row or none) in the next
    /// group; the change it made once committed, null when its gate let nothing through. A write handed over is
    /// committed or failed whatever <paramref name="cancellationToken"/> does: cancelling only stops the wait.
    /// </summary>
    public Task<ApplicationChanged?> WriteAsync(
        string sql, Action<NpgsqlParameterCollection> addParameters, string from, string to, CancellationToken cancellationToken) =>
        groups.WriteAsync(sql, addParameters, reader => StatusWrites.ReadMovedAsync(reader, from, to, CancellationToken.None), Guid.Empty, cancellationToken);
}
