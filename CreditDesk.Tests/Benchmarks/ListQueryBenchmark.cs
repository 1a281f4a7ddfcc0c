using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Pii;
using CreditDesk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Xunit.Abstractions;

namespace CreditDesk.Tests.Benchmarks;

/// <summary>
/// SPEC §9 B3: 1 000 000 applications loaded with binary COPY (countries, statuses and two years of dates spread as a
/// real desk would have them), then the grid's queries timed with EXPLAIN (ANALYZE, BUFFERS) and through the API.
/// The SQL below is what <see cref="ApplicationQueries"/> sends for those screens. Run with <c>./build.sh bench b3</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class ListQueryBenchmark(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Samples = 30;
    private static readonly int Rows = int.TryParse(Environment.GetEnvironmentVariable("CREDITDESK_BENCH_ROWS"), out var n) ? n : 1_000_000;
    private static readonly (string Code, string Currency, int Weight)[] Countries =
        [("ES", "EUR", 25), ("MX", "MXN", 20), ("BR", "BRL", 20), ("CO", "COP", 15), ("IT", "EUR", 10), ("PT", "EUR", 10)];
    private static readonly (string Status, int Weight)[] Statuses =
        [("APPROVED", 38), ("REJECTED", 25), ("DISBURSED", 15), ("UNDER_REVIEW", 10), ("CANCELLED", 7), ("PENDING", 3), ("VALIDATING", 2)];

    private readonly ApiFixture api = new();

    public Task InitializeAsync() => api.InitializeAsync();

    public Task DisposeAsync() => api.DisposeAsync();

    [Fact]
    public async Task Grid_queries_at_a_million_applications()
    {
        var loading = Stopwatch.StartNew();
        var (middle, applicant) = await LoadAsync();
        loading.Stop();
        var tableSize = await SizeAsync("pg_table_size('credit_applications')");
        var indexSize = await SizeAsync("pg_indexes_size('credit_applications')");
        await BenchResults.NoteAsync(output, "b3.txt", string.Create(CultureInfo.InvariantCulture,
            $"B3 loaded {Rows} applications with binary COPY in {loading.Elapsed.TotalSeconds:0.0} s (indexes and VACUUM ANALYZE included); table {tableSize}, indexes {indexSize}"));

        const string Columns = ApplicationQueries.SummaryColumns;
        var middleAt = middle.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        var queries = new (string Name, string Sql, string? Api)[]
        {
            ("first page", $"SELECT {Columns} FROM credit_applications ORDER BY created_at DESC, id DESC LIMIT 26", "api/v1/applications?limit=25"),
            ("filtered first page (BR, UNDER_REVIEW)",
                $"SELECT {Columns} FROM credit_applications WHERE country = 'BR' AND status = 'UNDER_REVIEW' ORDER BY created_at DESC, id DESC LIMIT 26",
                "api/v1/applications?limit=25&country=BR&status=UNDER_REVIEW"),
            ($"deep keyset page (row {Rows / 2:N0})",
                $"SELECT {Columns} FROM credit_applications WHERE (created_at, id) < ('{middleAt}', '{middle.Id}') ORDER BY created_at DESC, id DESC LIMIT 26",
                $"api/v1/applications?limit=25&cursor={middle.Encode()}"),
            ("filtered deep keyset page (ES)",
                $"SELECT {Columns} FROM credit_applications WHERE country = 'ES' AND (created_at, id) < ('{middleAt}', '{middle.Id}') ORDER BY created_at DESC, id DESC LIMIT 26",
                $"api/v1/applications?limit=25&country=ES&cursor={middle.Encode()}"),
            ("an applicant's own first page",
                $"SELECT {Columns} FROM credit_applications WHERE applicant_user_id = '{applicant}' ORDER BY created_at DESC, id DESC LIMIT 26", null),
            ("counts per status (all)", "SELECT status, count(*) FROM credit_applications GROUP BY status", null),
            ("counts per status (MX)", "SELECT status, count(*) FROM credit_applications WHERE country = 'MX' GROUP BY status", null),
        };

        for (var run = 1; run <= BenchResults.Runs; run++)
        {
            foreach (var (name, sql, _) in queries)
            {
                var times = new List<double>();
                for (var i = 0; i < Samples; i++)
                {
                    times.Add(await ExecutionMillisecondsAsync(sql));
                }
                times.Sort();
                var target = name.StartsWith("counts", StringComparison.Ordinal) ? "" : "<= 5";
                await BenchResults.MeasuredAsync(output, "B3", $"query: {name}", "p95", run, BenchResults.Percentile(times, 0.95), "ms", target);
            }
            using var officer = api.Client(ApiFixture.OfficerKey);
            foreach (var (name, _, path) in queries.Where(q => q.Api is not null))
            {
                var times = new List<double>();
                for (var i = 0; i < Samples + 1; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var response = await officer.GetAsync(path);
                    response.EnsureSuccessStatusCode();
                    await response.Content.ReadAsByteArrayAsync();
                    if (i > 0)
                    {
                        times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                }
                times.Sort();
                await BenchResults.MeasuredAsync(output, "B3", $"API: {name}", "p95", run, BenchResults.Percentile(times, 0.95), "ms", "<= 20");
            }
        }
        foreach (var (name, sql, _) in queries)
        {
            await BenchResults.NoteAsync(output, "b3-plans.txt", $"-- {name}{Environment.NewLine}{await PlanAsync(sql)}");
        }
    }

    private async Task<string> SizeAsync(string expression) => (await api.Database.ScalarAsync<string>($"SELECT pg_size_pretty({expression})"))!;

    private async Task<double> ExecutionMillisecondsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", connection);
        using var plan = JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!);
        return plan.RootElement[0].GetProperty("Execution Time").GetDouble();
    }

    private async Task<string> PlanAsync(string sql)
    {
        var lines = await api.Database.ListAsync($"EXPLAIN (ANALYZE, BUFFERS) {sql}", r => r.GetString(0));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Loads the rows; returns the row in the middle of the newest-first order (for the deep page) and a busy applicant.</summary>
    private async Task<(PageCursor Middle, string Applicant)> LoadAsync()
    {
        var cipher = api.App.Services.GetRequiredService<PiiCipher>();
        var names = Enumerable.Range(0, 64).Select(i => cipher.Encrypt($"Bench Applicant {i}")).ToArray();
        var documents = Enumerable.Range(0, 64).Select(i => cipher.Encrypt($"{1_000_000_000 + i}")).ToArray();
        var random = new Random(20261122);
        var now = DateTimeOffset.UtcNow;
        var hash = new byte[32];

        await using var connection = new NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        // A bulk load, like an import: nothing is published (no node committed it), as for any row written by SQL.
        await using (var writer = await connection.BeginBinaryImportAsync("""
            COPY credit_applications (id, reference, country, currency, status, requested_amount, monthly_income, term_months, full_name_cipher,
                document_cipher, pii_key_id, document_hash, applicant_user_id, risk_score, created_at, updated_at, decided_at)
            FROM STDIN (FORMAT BINARY)
            """))
        {
            for (var i = 0; i < Rows; i++)
            {
                var (country, currency, _) = Pick(random, Countries, c => c.Weight);
                var (status, _) = Pick(random, Statuses, s => s.Weight);
                var created = now.AddSeconds(-random.NextDouble() * 2 * 365 * 24 * 3600);
                var decided = status is "PENDING" or "VALIDATING" ? (DateTimeOffset?)null : created.AddSeconds(random.Next(1, 600));
                var name = names[random.Next(names.Length)];
                random.NextBytes(hash);
                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.CreateVersion7(created), NpgsqlDbType.Uuid);
                await writer.WriteAsync($"{country}-{created.Year}-{i + 1:000000}", NpgsqlDbType.Text);
                await writer.WriteAsync(country, NpgsqlDbType.Char);
                await writer.WriteAsync(currency, NpgsqlDbType.Char);
                await writer.WriteAsync(status, NpgsqlDbType.Varchar);
                await writer.WriteAsync((decimal)random.Next(1_000, 500_000), NpgsqlDbType.Numeric);
                await writer.WriteAsync((decimal)random.Next(800, 40_000), NpgsqlDbType.Numeric);
                await writer.WriteAsync(random.Next(6, 85), NpgsqlDbType.Integer);
                await writer.WriteAsync(name.Data, NpgsqlDbType.Bytea);
                await writer.WriteAsync(documents[random.Next(documents.Length)].Data, NpgsqlDbType.Bytea);
                await writer.WriteAsync(name.KeyId, NpgsqlDbType.Varchar);
                await writer.WriteAsync(hash, NpgsqlDbType.Bytea);
                // One application in twenty comes from one of 20 000 self-service applicants; the rest from officers' channels.
                if (random.Next(20) == 0)
                {
                    await writer.WriteAsync($"applicant-{random.Next(20_000)}", NpgsqlDbType.Varchar);
                }
                else
                {
                    await writer.WriteNullAsync();
                }
                if (decided is null)
                {
                    await writer.WriteNullAsync();
                }
                else
                {
                    await writer.WriteAsync(random.Next(0, 101), NpgsqlDbType.Integer);
                }
                await writer.WriteAsync(created, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(decided ?? created, NpgsqlDbType.TimestampTz);
                if (decided is { } at)
                {
                    await writer.WriteAsync(at, NpgsqlDbType.TimestampTz);
                }
                else
                {
                    await writer.WriteNullAsync();
                }
            }
            await writer.CompleteAsync();
        }
        await using (var vacuum = new NpgsqlCommand("VACUUM ANALYZE credit_applications", connection))
        {
            vacuum.CommandTimeout = 600;
            await vacuum.ExecuteNonQueryAsync();
        }
        var middle = (await api.Database.ListAsync(
            $"SELECT created_at, id FROM credit_applications ORDER BY created_at DESC, id DESC OFFSET {Rows / 2} LIMIT 1",
            r => new PageCursor(r.GetFieldValue<DateTimeOffset>(0), r.GetGuid(1))))[0];
        var applicant = (await api.Database.ListAsync(
            "SELECT applicant_user_id FROM credit_applications WHERE applicant_user_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
            r => r.GetString(0)))[0];
        return (middle, applicant);
    }

    private static T Pick<T>(Random random, T[] items, Func<T, int> weight)
    {
        var roll = random.Next(items.Sum(weight));
        foreach (var item in items)
        {
            roll -= weight(item);
            if (roll < 0)
            {
                return item;
            }
        }
        return items[^1];
    }
}
