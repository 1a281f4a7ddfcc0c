using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Cluster;

[Trait("Category", "Cluster")]
public sealed class ProductionBootstrapTests : IAsyncLifetime
{
    private readonly PostgresDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task Two_production_nodes_starting_together_on_an_empty_database_create_the_roles_and_one_first_admin_and_no_demo_users()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Bootstrap:AdminEmail"] = "first.admin@bank.example",
            ["Bootstrap:AdminPassword"] = "Bootstrap!2026secure",
        };
        await using var one = AppProcess.Start(database.ConnectionString, "prod-1", settings);
        await using var two = AppProcess.Start(database.ConnectionString, "prod-2", settings);
        await Task.WhenAll(one.WaitUntilReadyAsync(), two.WaitUntilReadyAsync());

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await database.ScalarAsync<long>("SELECT count(*) FROM identity_user_roles") < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, one.Output + two.Output);
            await Task.Delay(100);
        }
        await Task.Delay(500);
        Assert.Equal(3, await database.ScalarAsync<long>("SELECT count(*) FROM identity_roles"));
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM identity_users"));
        Assert.Equal("first.admin@bank.example", await database.ScalarAsync<string>(
            "SELECT u.email FROM identity_users u JOIN identity_user_roles ur ON ur.user_id = u.id JOIN identity_roles r ON r.id = ur.role_id WHERE r.name = 'Admin'"));
        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM api_keys"));
        Assert.False(one.HasExited || two.HasExited, one.Output + two.Output);
        Assert.DoesNotContain("Bootstrap!2026secure", one.Output + two.Output, StringComparison.Ordinal);
    }
}
