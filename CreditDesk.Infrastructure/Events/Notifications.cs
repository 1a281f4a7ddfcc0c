using System.Text;
using Npgsql;

namespace CreditDesk.Infrastructure.Events;

/// <summary>How a node tells the others something: NOTIFY payloads in one statement, each under PostgreSQL's limit.</summary>
internal static class Notifications
{
    /// <summary>PostgreSQL refuses NOTIFY payloads of 8 000 bytes or more; parts stay well below.</summary>
    public const int MaximumPayloadBytes = 7_000;

    /// <summary>All the payloads in one statement (one commit, so one turn at the notify queue's lock).</summary>
    public static async Task SendAsync(NpgsqlDataSource dataSource, string channel, IReadOnlyList<string> payloads, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("SELECT ");
        await using var command = dataSource.CreateCommand();
        for (var index = 0; index < payloads.Count; index++)
        {
            sql.Append(index == 0 ? "" : ", ").Append("pg_notify('").Append(channel).Append("', $").Append(index + 1).Append(')');
            command.Parameters.Add(new NpgsqlParameter { Value = payloads[index] });
        }
        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The items in as few groups as keep each group's payload under the limit (<paramref name="envelope"/> bytes are
    /// left for what wraps them); always at least one group, possibly empty.
    /// </summary>
    public static List<List<T>> Parts<T>(IEnumerable<T> items, Func<T, int> bytes, int envelope = 200)
    {
        var groups = new List<List<T>> { new() };
        var size = 0;
        foreach (var item in items)
        {
            var length = bytes(item) + 1;
            if (size + length > MaximumPayloadBytes - envelope && groups[^1].Count > 0)
            {
                groups.Add([]);
                size = 0;
            }
            groups[^1].Add(item);
            size += length;
        }
        return groups;
    }
}
