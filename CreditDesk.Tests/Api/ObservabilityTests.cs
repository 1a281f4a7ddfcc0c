using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Telemetry;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace CreditDesk.Tests.Api;

public sealed class ObservabilityTests : IAsyncLifetime
{
    private const string Key = "cdk_test_observability_applicant";
    private readonly PostgresDatabase database = new();
    private readonly CapturingLoggerProvider logs = new();
    private AppHost app = default!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        // Information and up, whatever the test run's default: these tests read what a production node would write.
        app = new AppHost(database.ConnectionString, new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Information" },
            configureServices: services => services.AddSingleton<ILoggerProvider>(logs));
        await app.StartAndWaitUntilReadyAsync();
        await app.Services.GetRequiredService<ApiKeyStore>().EnsureAsync("observability", Roles.Applicant, "observer", Key, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task One_submitted_application_yields_one_trace_from_the_HTTP_request_through_processing_and_the_bureau_call()
    {
        var exported = new ConcurrentBag<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(CreditDeskTelemetry.Name, "Microsoft.AspNetCore")
            .AddProcessor(new SimpleActivityExportProcessor(new CollectingExporter(exported)))
            .Build();

        var id = await SubmitAndWaitAsync("Tracey Spanner");
        tracing.ForceFlush();

        var submit = Assert.Single(exported, a => a.OperationName == "application.submit" && Equals(a.GetTagItem("creditdesk.application_id"), id));
        var trace = exported.Where(a => a.TraceId == submit.TraceId).ToList();
        Assert.Contains(trace, a => a.Source.Name == "Microsoft.AspNetCore" && a.Kind == ActivityKind.Server);
        var process = Assert.Single(trace, a => a.OperationName == "application.process");
        Assert.Contains(trace, a => a.OperationName == "bureau.call" && a.ParentSpanId == process.SpanId && Equals(a.GetTagItem("creditdesk.country"), "CO"));
        Assert.Equal(submit.SpanId, process.ParentSpanId);
    }

    [Fact]
    public async Task Logs_written_while_submitting_and_processing_contain_neither_the_name_nor_the_document()
    {
        var document = ApplicationTestData.NextCedula();

        await SubmitAndWaitAsync("Piiname Neverlogged", document);

        var written = logs.Text();
        Assert.Contains("application", written, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Piiname", written, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Neverlogged", written, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(document, written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_answer_loopback_in_Prometheus_text_with_HTTP_Npgsql_and_CreditDesk_series()
    {
        await SubmitAndWaitAsync("Metric Watcher");
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        using var response = await http.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("db_client_operation_duration_seconds", text, StringComparison.Ordinal);
        Assert.Contains("creditdesk_applications_created_total", text, StringComparison.Ordinal);
        Assert.Contains("creditdesk_applications_decided_total", text, StringComparison.Ordinal);
        Assert.Contains("creditdesk_queue_depth", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Metric Watcher", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_bureau_shows_in_Pollys_own_metrics_and_event_logs_without_the_reports_figures_or_the_document()
    {
        app.Services.GetRequiredService<CreditDesk.Infrastructure.Bureaus.BureauFaultSettings>().Set("CO", new(TimeSpan.Zero, 1.0));
        var document = ApplicationTestData.NextCedula();

        await SubmitAndWaitAsync("Retry Watcher", document);
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var metrics = (await http.GetStringAsync("metrics")).Split('\n');

        Assert.Contains(metrics, line => line.StartsWith("resilience_polly_strategy_events_total{", StringComparison.Ordinal)
            && line.Contains("event_name=\"OnRetry\"", StringComparison.Ordinal) && line.Contains("pipeline_name=\"CO\"", StringComparison.Ordinal));
        Assert.Contains(metrics, line => line.StartsWith("resilience_polly_strategy_events_total{", StringComparison.Ordinal)
            && line.Contains("event_name=\"OnFallback\"", StringComparison.Ordinal));
        var written = logs.Text();
        Assert.Contains("OnRetry", written, StringComparison.Ordinal);
        Assert.DoesNotContain(document, written, StringComparison.Ordinal);
        Assert.DoesNotContain("MonthlyObligations", written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_refuse_an_address_outside_the_allowed_networks()
    {
        await using var guarded = new AppHost(database.ConnectionString, new Dictionary<string, string?> { ["Metrics:AllowedNetworks:0"] = "10.0.0.0/8" });
        await guarded.StartAndWaitUntilReadyAsync();
        using var http = new HttpClient { BaseAddress = guarded.BaseAddress };

        using var response = await http.GetAsync("metrics");

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Each_request_is_logged_once_with_its_route_template_not_its_query()
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);

        using var response = await http.GetAsync("api/v1/applications?q=12345678Z");

        var line = Assert.Single(logs.Lines(), l => l.Contains("responded", StringComparison.Ordinal) && l.Contains("/api/v1/applications", StringComparison.Ordinal));
        Assert.Contains("GET", line, StringComparison.Ordinal);
        Assert.Contains("200", line, StringComparison.Ordinal);
        Assert.DoesNotContain("12345678Z", logs.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_shorter_than_its_Content_Length_is_logged_as_a_client_error_never_a_server_error_and_writes_nothing()
    {
        var before = await database.ScalarAsync<long>("SELECT count(*) FROM credit_applications");
        using (var socket = new System.Net.Sockets.TcpClient())
        {
            await socket.ConnectAsync(app.BaseAddress.Host, app.BaseAddress.Port);
            var head = $"POST /api/v1/applications HTTP/1.1\r\nHost: {app.BaseAddress.Authority}\r\nAuthorization: Bearer {Key}\r\n" +
                       "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"country\":\"CO\",\"full_name\":\"Ana";
            var stream = socket.GetStream();
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
            // The client stops sending 470 bytes early, then reads whatever the server answers until it closes.
            socket.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            using var answer = new StreamReader(stream);
            try
            {
                _ = await answer.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (IOException)
            {
                // The server may reset the connection rather than answer a client that has gone: what it logs is the point.
            }
        }

        string line = "";
        for (var waited = 0; waited < 200 && line.Length == 0; waited++)
        {
            line = logs.Lines().FirstOrDefault(l => l.Contains("responded", StringComparison.Ordinal) && l.Contains("POST", StringComparison.Ordinal)) ?? "";
            await Task.Delay(100);
        }
        // 400 when the answer can still be written, 499 ("client closed request") when the client has gone: the client's, either way.
        Assert.Matches(@"StatusCode=4(00|99)\b", line);
        Assert.DoesNotContain(logs.Lines(), l => l.Contains(" 500 ", StringComparison.Ordinal) || l.Contains("Unhandled", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(before, await database.ScalarAsync<long>("SELECT count(*) FROM credit_applications"));
    }

    private async Task<Guid> SubmitAndWaitAsync(string name, string? document = null)
    {
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
        using var response = await client.PostAsJsonAsync("api/v1/applications", new
        {
            country = "CO", full_name = name, document = document ?? ApplicationTestData.NextCedula(), amount = "5000000", monthly_income = "4000000",
        });
        var id = (await ApiFixture.JsonAsync(response)).GetProperty("id").GetGuid();
        await database.WaitUntilDecidedAsync(TimeSpan.FromSeconds(10), 1);
        await Task.Delay(200);
        return id;
    }

    private sealed class CollectingExporter(ConcurrentBag<Activity> sink) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var activity in batch)
            {
                sink.Add(activity);
            }
            return ExportResult.Success;
        }
    }

    /// <summary>Every log line any component writes, with its formatted message and its structured values.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> lines = new();

        public string Text() => string.Join("\n", lines);

        public IReadOnlyList<string> Lines() => [.. lines];

        public ILogger CreateLogger(string categoryName) => new Capture(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Capture(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                owner.lines.Enqueue($"{category} {formatter(state, exception)} {values} {exception}");
            }
        }
    }
}
