using System.Text.RegularExpressions;
using Quartz;

namespace CreditDesk.Infrastructure.Persistence.Migrations;

/// <summary>The PostgreSQL schema Quartz embeds (create_postgres.sql), with our table prefix, split as Quartz splits it (on lines reading exactly <c>--;;</c>).</summary>
internal static class QuartzSchema
{
    public const string TablePrefix = "qrtz_";
    private const string ResourceName = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";
    private const string StatementSeparator = "--;;";

    public static IEnumerable<string> Statements()
    {
        using var stream = typeof(IScheduler).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Quartz no longer embeds {ResourceName}.");
        using var reader = new StreamReader(stream);
        var script = reader.ReadToEnd().Replace("{0}", TablePrefix, StringComparison.Ordinal).Replace("{1}", TablePrefix, StringComparison.Ordinal);
        return Regex.Split(script, $@"^{Regex.Escape(StatementSeparator)}\s*$", RegexOptions.Multiline)
            .Where(statement => statement.Split('\n').Any(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            .ToList();
    }
}
