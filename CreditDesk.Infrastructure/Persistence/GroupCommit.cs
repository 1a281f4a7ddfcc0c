using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CreditDesk.Infrastructure.Telemetry;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CreditDesk.Infrastructure.Persistence;

/// <summary>
/// Commits statements handed over by many callers in groups. Each caller hands over its statement and waits; one writer
/// runs everything handed over meanwhile as one batch — one round trip, one transaction, one WAL flush — and answers each
/// caller once it has committed (up to <c>writers</c> groups at once, so PostgreSQL can run them on several cores). One
/// statement at a time is written as a batch of one, with no added wait; under load the batches grow by themselves while
/// the previous one commits. Statements that lock rows name the row they lock: a group runs its statements in that
/// order, so two groups never wait on each other in a circle. When a group fails, each statement is written again on its
/// own, so one failing statement fails only its own caller.
/// Hand-written: a group commit over Npgsql's batches is a queue and a loop, not something a package offers.
/// </summary>
public sealed partial class GroupCommit(NpgsqlDataSource dataSource, int writers, string name, Histogram<int> sizes, ILogger logger)
{
    /// <summary>At most this many statements in one transaction.</summary>
    public const int MaximumBatch = 128;

    private abstract class Write(string sql, Action<NpgsqlParameterCollection> addParameters, Guid lockOrder)
    {
        public string Sql { get; } = sql;

        public Action<NpgsqlParameterCollection> AddParameters { get; } = addParameters;

        public Guid LockOrder { get; } = lockOrder;

        /// <summary>Reads this statement's result (before the commit is known).</summary>
        public abstract Task ReadAsync(NpgsqlDataReader reader);

        /// <summary>The group committed: hands the result read to the caller.</summary>
        public abstract void Committed();

        public abstract void Failed(Exception exception);
    }

    private sealed class Write<T>(string sql, Action<NpgsqlParameterCollection> addParameters, Guid lockOrder, Func<NpgsqlDataReader, Task<T>> read)
        : Write(sql, addParameters, lockOrder)
    {
        private T result = default!;

        public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task ReadAsync(NpgsqlDataReader reader) => result = await read(reader);

        public override void Committed() => Done.TrySetResult(result);

        public override void Failed(Exception exception) => Done.TrySetException(exception);
    }

    private readonly ConcurrentQueue<Write> queue = new();
    private readonly int maximumWriters = Math.Max(1, writers);
    private int writing; // writers running

    /// <summary>
    /// Writes one statement in the next group and gives what <paramref name="read"/> read of its result, once committed.
    /// <paramref name="lockOrder"/> is the row the statement locks, if any (the group runs its statements ordered by it).
    /// A write handed over is committed or failed whatever <paramref name="cancellationToken"/> does: cancelling only
    /// stops the wait.
    /// </summary>
    public Task<T> WriteAsync<T>(
        string sql, Action<NpgsqlParameterCollection> addParameters, Func<NpgsqlDataReader, Task<T>> read, Guid lockOrder, CancellationToken cancellationToken)
    {
        var write = new Write<T>(sql, addParameters, lockOrder, read);
        queue.Enqueue(write);
        if (TryTakeWriterSlot())
        {
            _ = Task.Run(WriteWhileQueuedAsync, CancellationToken.None);
        }
        return write.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>One more writer, unless as many as allowed are running (they empty the queue before they stop).</summary>
    private bool TryTakeWriterSlot()
    {
        while (true)
        {
            var running = Volatile.Read(ref writing);
            if (running >= maximumWriters)
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
            group.Sort((a, b) => a.LockOrder.CompareTo(b.LockOrder));
            await WriteGroupAsync(group);
        }
    }

    private async Task WriteGroupAsync(List<Write> group)
    {
        try
        {
            await CommitAsync(group);
            foreach (var write in group)
            {
                write.Committed();
            }
        }
        catch (Exception exception) when (group.Count > 1)
        {
            // Nothing of the group was committed: each statement again on its own, so only the failing one fails.
            LogGroupFailed(logger, exception, group.Count, name);
            foreach (var write in group)
            {
                await WriteGroupAsync([write]);
            }
        }
        catch (Exception exception)
        {
            group[0].Failed(exception);
        }
    }

    private async Task CommitAsync(List<Write> group)
    {
        using var activity = CreditDeskTelemetry.Source.StartActivity(name);
        activity?.SetTag("creditdesk.statements", group.Count);
        await using var connection = await dataSource.OpenConnectionAsync();
        // No explicit transaction: a batch is one implicit transaction, committed at its end, all or nothing.
        await using var batch = new NpgsqlBatch(connection);
        foreach (var write in group)
        {
            var command = new NpgsqlBatchCommand(write.Sql);
            write.AddParameters(command.Parameters);
            batch.BatchCommands.Add(command);
        }
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            for (var index = 0; index < group.Count; index++)
            {
                if (index > 0 && !await reader.NextResultAsync())
                {
                    throw new InvalidOperationException($"A group of {group.Count} returned {index} results.");
                }
                await group[index].ReadAsync(reader);
            }
            // Read to the end: the commit's own error, if any, surfaces here, before anyone is told it committed.
            while (await reader.NextResultAsync())
            {
            }
        }
        sizes.Record(group.Count);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group of {Count} statements ({Name}) failed; writing each on its own")]
    private static partial void LogGroupFailed(ILogger logger, Exception exception, int count, string name);
}
