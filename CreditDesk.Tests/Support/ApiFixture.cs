using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CreditDesk.Infrastructure.Access;
using Microsoft.Extensions.DependencyInjection;

namespace CreditDesk.Tests.Support;

/// <summary>One running app on a fresh database for a test class, with an API key per role.</summary>
public class ApiFixture : IAsyncLifetime
{
    public const string ApplicantKey = "cdk_test_applicant_key_0001";
    public const string OtherApplicantKey = "cdk_test_applicant_key_0002";
    public const string OfficerKey = "cdk_test_officer_key_0001";
    public const string AdminKey = "cdk_test_admin_key_0001";

    public PostgresDatabase Database { get; } = new();

    public AppHost App { get; private set; } = default!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Services replaced for this fixture's app (after the app's own registrations).</summary>
    protected virtual Action<IServiceCollection>? TestServices => null;

    public virtual async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        App = new AppHost(Database.ConnectionString, Settings, TestServices);
        await App.StartAndWaitUntilReadyAsync();
        var keys = App.Services.GetRequiredService<ApiKeyStore>();
        await keys.EnsureAsync("test applicant", Roles.Applicant, "user-applicant-1", ApplicantKey, CancellationToken.None);
        await keys.EnsureAsync("test applicant 2", Roles.Applicant, "user-applicant-2", OtherApplicantKey, CancellationToken.None);
        await keys.EnsureAsync("test officer", Roles.Officer, "user-officer", OfficerKey, CancellationToken.None);
        await keys.EnsureAsync("test admin", Roles.Admin, "user-admin", AdminKey, CancellationToken.None);
        await TestBanks.EnsureAllAsync(App.Services);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = App.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return client;
    }

    /// <summary>
    /// A Colombian application (COP 5 000 000) submitted through the API by the applicant, then put straight into
    /// <paramref name="status"/> with its outbox row removed, so no processing touches it.
    /// </summary>
    /// <summary>
    /// A new application put in <paramref name="status"/> before the drain decided it (<see cref="Db.SubmitOutOfPipelineAsync"/>).
    /// With a given <paramref name="document"/> there is no other one to submit when the drain was first: its work on that
    /// one is waited out and its status set over the decision.
    /// </summary>
    public async Task<Guid> ApplicationInStatusAsync(string status, string? document = null)
    {
        using var applicant = Client(ApplicantKey);
        async Task<Guid> SubmitAsync()
        {
            using var created = await applicant.PostAsJsonAsync("api/v1/applications", new
            {
                country = "CO", full_name = "Mateo Vargas", document = document ?? Infrastructure.ApplicationTestData.NextCedula(),
                amount = "5000000.00", monthly_income = "4000000", term_months = 36,
            });
            return (await JsonAsync(created)).GetProperty("id").GetGuid();
        }
        if (document is null)
        {
            return await Database.SubmitOutOfPipelineAsync(SubmitAsync, status);
        }
        var id = await SubmitAsync();
        if (!await Database.TryTakeFromPipelineAsync(id, status))
        {
            for (var deadline = DateTime.UtcNow.AddSeconds(30);
                 await Database.ScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM application_outbox WHERE application_id = '{id}')");
                 await Task.Delay(50))
            {
                Assert.True(DateTime.UtcNow < deadline, $"The drain did not finish application {id} in 30 s.");
            }
            await Database.ExecuteAsync($"UPDATE credit_applications SET status = '{status}' WHERE id = '{id}'");
        }
        return id;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
}
