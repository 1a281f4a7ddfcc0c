using System.Net;
using System.Net.Http.Json;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Api;

/// <summary>An application that committed keeps its Idempotency-Key claimed even when its answer could not be stored.</summary>
public sealed class IdempotencyFailureTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task When_storing_the_answer_fails_the_client_still_gets_201_and_a_retry_never_creates_a_second_application()
    {
        // Storing an answer is an UPDATE of the claimed row: make exactly that fail, as a dropped connection would.
        await api.Database.ExecuteAsync("""
            CREATE FUNCTION fail_answer() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'answer store down'; END $$;
            CREATE TRIGGER fail_answer BEFORE UPDATE ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION fail_answer();
            """);
        try
        {
            using var client = api.Client(ApiFixture.ApplicantKey);
            var body = new
            {
                country = "CO", full_name = "Mateo Vargas", document = Infrastructure.ApplicationTestData.NextCedula(),
                amount = "5000000", monthly_income = "4000000", term_months = 36,
            };

            using var first = await PostAsync(client, body);
            // Decided: the person may apply again, so only the key can stop the retry from creating a second application.
            await api.Database.ExecuteAsync("DELETE FROM application_outbox; UPDATE credit_applications SET status = 'REJECTED'");
            using var retry = await PostAsync(client, body);

            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
            Assert.Equal(1, await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications"));
        }
        finally
        {
            await api.Database.ExecuteAsync("DROP TRIGGER fail_answer ON idempotency_keys; DROP FUNCTION fail_answer();");
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/applications") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", "retry-after-a-lost-answer");
        return await client.SendAsync(request);
    }
}
