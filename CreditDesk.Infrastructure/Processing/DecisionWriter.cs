using System.Collections.Concurrent;
using CreditDesk.Infrastructure.Events;
using CreditDesk.Infrastructure.Persistence;
using CreditDesk.Infrastructure.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CreditDesk.Infrastructure.Processing;

/// <summary>
/// Commits the drain's decisions in groups. Each worker hands over its statement (the claim-gated outbox removal,
/// move, audit and decision record of one application) and waits; one writer runs everything handed over meanwhile as
/// one batch — one round trip, one transaction, one WAL flush — and answers each worker once it has committed (up to
/// <see cref="ProcessingOptions.DecisionWriters"/> groups at once, so PostgreSQL can run them on several cores). A drain
/// deciding one application at a time writes batches of one, with no added wait; under load the batches grow by
/// themselves while the previous one commits. The drain was bound by WAL flushes, one per decision (docs/PERFORMANCE.md,
/// B2). Each statement stays gated by its own claim, so a batch can hold statements that write nothing. When a batch
/// fails, each statement is written again on its own, so one failing decision fails only its own worker.
/// Hand-written: a group commit over Npgsql's batches is a queue and a loop, not something a package offers.
/// </summary>
public sealed partial class DecisionWriter(NpgsqlDataSource dataSource, IOptions<ProcessingOptions> options, ILogger<DecisionWriter> logger)
{
    /// <summary>At most this many statements in one transaction (a drain has at most its concurrency waiting).</summary>
    public const int MaximumBatch = 128;

    private sealed record Write(string Sql, Action<NpgsqlParameterCollection> AddParameters, string From, string To)
    {
        public TaskCompletionSource<ApplicationChanged?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly ConcurrentQueue<Write> queue = new();
    private int writing; // writers running

    /// <summary>
    /// Writes one statement whose result is <see cref="StatusWrites.MovedColumns"/> (one row or none) in the next
    /// group; the change it made once committed, null when its gate let nothing through. A write handed over is
    /// committed or failed whatever <paramref name="cancellationToken"/> does: cancelling only stops the wait.
    /// </summary>
    public Task<ApplicationChanged?> WriteAsync(
        string sql, Action<NpgsqlParameterCollection> addParameters, string from, string to, CancellationToken cancellationToken)
    {
        var write = new Write(sql, addParameters, from, to);
        queue.Enqueue(write);
        if (TryTakeWriterSlot())
        {
            _ = Task.Run(WriteWhileQueuedAsync, CancellationToken.None);
        }
        return write.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>One more writer, unless <see cref="ProcessingOptions.DecisionWriters"/> are running (they empty the queue before they stop).</summary>
    private bool TryTakeWriterSlot()
    {
        var maximum = Math.Max(1, options.Value.DecisionWriters);
        while (true)
        {
            var running = Volatile.Read(ref writing);
            if (running >= maximum)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref writing, running + 1, running) == running)
            {
                return true;
            }
        }
    }

    private async Task WriteWhileQueuedAsync()
    {
        var group = new List<Write>(MaximumBatch);
        while (true)
        {
            group.Clear();
            while (group.Count < MaximumBatch && queue.TryDequeue(out var write))
            {
                group.Add(write);
            }
            if (group.Count == 0)
            {
                Interlocked.Decrement(ref writing);
                // A write queued between the last look and the line above started no writer (all slots looked taken): take it on.
                if (queue.IsEmpty || !TryTakeWriterSlot())
                {
                    return;
                }
                continue;
            }
            await WriteGroupAsync(group);
        }
    }

    private async Task WriteGroupAsync(List<Write> group)
    {
        try
        {
            var changes = await CommitAsync(group);
            for (var index = 0; index < group.Count; index++)
            {
                group[index].Done.TrySetResult(changes[index]);
            }
        }
        catch (Exception exception) when (group.Count > 1)
        {
            // Nothing of the group was committed: each statement again on its own, so only the failing one fails.
            LogGroupFailed(logger, exception, group.Count);
            foreach (var write in group)
            {
                await WriteGroupAsync([write]);
            }
        }
        catch (Exception exception)
        {
            group[0].Done.TrySetException(exception);
        }
    }

    private async Task<ApplicationChanged?[]> CommitAsync(List<Write> group)
    {
        using var activity = CreditDeskTelemetry.Source.StartActivity("decision.write");
        activity?.SetTag("creditdesk.decisions", group.Count);
        await using var connection = await dataSource.OpenConnectionAsync();
        // No explicit transaction: a batch is one implicit transaction, committed at its end, all or nothing.
        await using var batch = new NpgsqlBatch(connection);
        foreach (var write in group)
        {
            var command = new NpgsqlBatchCommand(write.Sql);
            write.AddParameters(command.Parameters);
            batch.BatchCommands.Add(command);
        }
        var changes = new ApplicationChanged?[group.Count];
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            for (var index = 0; index < group.Count; index++)
            {
                if (index > 0 && !await reader.NextResultAsync())
                {
                    throw new InvalidOperationException($"A decision batch of {group.Count} returned {index} results.");
                }
                changes[index] = await StatusWrites.ReadMovedAsync(reader, group[index].From, group[index].To, CancellationToken.None);
            }
            // Read to the end: the commit's own error, if any, surfaces here, before anyone is told it committed.
            while (await reader.NextResultAsync())
            {
            }
        }
        CreditDeskTelemetry.DecisionBatchSize.Record(group.Count);
        return changes;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group of {Count} decisions failed; writing each on its own")]
    private static partial void LogGroupFailed(ILogger logger, Exception exception, int count);
}
