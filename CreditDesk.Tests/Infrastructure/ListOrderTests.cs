using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Infrastructure;

public sealed class ListOrderTests : IAsyncLifetime
{
    private static readonly Caller Staff = new("officer-1", Roles.Officer);
    private readonly PostgresDatabase database = new();
    private PipelineHost node = default!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        node = await PipelineHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Processing:Enabled"] = "false" });
        var submission = node.Get<ApplicationSubmission>();
        // Equal amounts and missing risk scores on purpose: the id breaks ties, so pages neither repeat nor skip rows.
        for (var i = 0; i < 23; i++)
        {
            var id = await submission.SubmitAsync(ApplicationTestData.Colombian(amount: 1_000_000m * (1 + i % 5)));
            if (i % 3 != 0)
            {
                await database.ExecuteAsync($"UPDATE credit_applications SET risk_score = {i % 7 * 10} WHERE id = '{id}'");
            }
        }
    }

    public async Task DisposeAsync()
    {
        await node.DisposeAsync();
        await database.DisposeAsync();
    }

    [Theory]
    [InlineData(ApplicationOrder.Newest)]
    [InlineData(ApplicationOrder.Oldest)]
    [InlineData(ApplicationOrder.AmountHighest)]
    [InlineData(ApplicationOrder.AmountLowest)]
    [InlineData(ApplicationOrder.RiskHighest)]
    [InlineData(ApplicationOrder.RiskLowest)]
    public async Task Every_order_pages_through_every_application_exactly_once_in_that_order(ApplicationOrder order)
    {
        var queries = node.Get<ApplicationQueries>();
        var seen = new List<ApplicationSummary>();
        ApplicationSummary? after = null;
        while (true)
        {
            var (items, more) = await queries.ListAsync(Staff, new ApplicationFilter(), order, 5, after, CancellationToken.None);
            seen.AddRange(items);
            if (!more)
            {
                break;
            }
            after = items[^1];
        }

        Assert.Equal(23, seen.Select(row => row.Id).Distinct().Count());
        Assert.Equal(23, seen.Count);
        var expected = order switch
        {
            ApplicationOrder.Oldest => seen.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id),
            ApplicationOrder.AmountHighest => seen.OrderByDescending(r => r.Amount).ThenByDescending(r => r.Id),
            ApplicationOrder.AmountLowest => seen.OrderBy(r => r.Amount).ThenBy(r => r.Id),
            ApplicationOrder.RiskHighest => seen.OrderByDescending(r => r.RiskScore ?? -1).ThenByDescending(r => r.Id),
            ApplicationOrder.RiskLowest => seen.OrderBy(r => r.RiskScore ?? -1).ThenBy(r => r.Id),
            _ => seen.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id),
        };
        Assert.Equal(expected.Select(r => r.Id), seen.Select(r => r.Id));
    }
}
