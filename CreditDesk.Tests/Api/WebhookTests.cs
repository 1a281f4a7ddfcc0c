using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CreditDesk.Infrastructure.Events;
using CreditDesk.Infrastructure.Webhooks;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static CreditDesk.Tests.Support.ApiFixture;

namespace CreditDesk.Tests.Api;

public sealed class WebhookTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Path = "api/v1/webhooks/bank-confirmation";

    [Fact]
    public async Task A_signed_disbursement_completed_moves_an_approved_application_to_disbursed()
    {
        var id = await api.ApplicationInStatusAsync("APPROVED");

        using var response = await SendAsync(Event(id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("processed", (await JsonAsync(response)).GetProperty("status").GetString());
        Assert.Equal("DISBURSED", await api.Database.StatusAsync(id));
        Assert.Equal("bank", await api.Database.ScalarAsync<string>(
            $"SELECT actor FROM application_audit WHERE application_id = '{id}' AND to_status = 'DISBURSED'"));
    }

    [Fact]
    public async Task A_signed_disbursement_failed_sends_an_approved_application_back_to_review()
    {
        var id = await api.ApplicationInStatusAsync("APPROVED");

        using var response = await SendAsync(Event(id, type: BankEvent.DisbursementFailed));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("UNDER_REVIEW", await api.Database.StatusAsync(id));
    }

    [Fact]
    public async Task Several_v1_values_may_be_sent_and_one_matching_is_enough()
    {
        var id = await api.ApplicationInStatusAsync("APPROVED");
        var body = Event(id, type: BankEvent.AccountVerified);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var other = WebhookSignature.Sign(TestBanks.KeyId(), "bksec_retired", now, body).Split(",v1=")[1];
        var header = TestBanks.Sign(body, at: now) + ",v1=" + other;

        using var response = await SendAsync(body, header);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Missing_wrong_unnamed_unknown_key_tampered_stale_and_future_signatures_are_401_and_change_nothing()
    {
        var id = await api.ApplicationInStatusAsync("APPROVED");
        var body = Event(id);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("ref-", "REF-", StringComparison.Ordinal));

        var answers = new[]
        {
            await SendAsync(body, header: null),
            await SendAsync(body, WebhookSignature.Sign(TestBanks.KeyId(), "bksec_wrong", now, body)),
            await SendAsync(body, WebhookSignature.Sign("bk_nobody", TestBanks.Secret(), now, body)),
            await SendAsync(body, TestBanks.Sign(body, at: now).Replace($"kid={TestBanks.KeyId()},", "", StringComparison.Ordinal)),
            await SendAsync(tampered, TestBanks.Sign(body, at: now)),
            await SendAsync(body, TestBanks.Sign(body, at: now - 330)),
            await SendAsync(body, TestBanks.Sign(body, at: now + 330)),
            await SendAsync(body, "t=abc,v1=xyz"),
        };

        Assert.All(answers, response => Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode));
        Assert.Equal("APPROVED", await api.Database.StatusAsync(id));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM webhook_events WHERE application_id = '{id}'"));
    }

    [Fact]
    public async Task A_repeated_event_is_a_duplicate_with_no_second_effect_and_a_reused_id_with_another_body_is_409()
    {
        var id = await api.ApplicationInStatusAsync("APPROVED");
        var eventId = $"evt-{Guid.NewGuid():N}";
        var body = Event(id, eventId: eventId);

        using var first = await SendAsync(body);
        using var again = await SendAsync(body);
        using var reused = await SendAsync(Event(id, eventId: eventId, reference: "ref-other"));

        Assert.Equal("processed", (await JsonAsync(first)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("duplicate", (await JsonAsync(again)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Equal(1L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM application_audit WHERE application_id = '{id}' AND actor = 'bank'"));
    }

    [Fact]
    public async Task One_hundred_concurrent_deliveries_of_one_event_apply_exactly_once()
    {
        var id = await api.ApplicationInStatusAsync("APPROVED");
        var body = Event(id);

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => SendAsync(body)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var statuses = await Task.WhenAll(responses.Select(async r => (await JsonAsync(r)).GetProperty("status").GetString()));
        Assert.Equal(1, statuses.Count(s => s == "processed"));
        Assert.Equal(99, statuses.Count(s => s == "duplicate"));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM application_audit WHERE application_id = '{id}' AND to_status = 'DISBURSED'"));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_event_on_two_nodes_apply_exactly_once()
    {
        var (id, bankId) = await ApprovedWithBankAsync();
        var here = api.App.Services.GetRequiredService<BankConfirmations>();
        // A second node's handler: the in-flight deliveries it knows of are its own, so only the database can judge between the two.
        var there = new BankConfirmations(api.App.Services.GetRequiredService<NpgsqlDataSource>(),
            api.App.Services.GetRequiredService<LiveEvents>(), TimeProvider.System, NullLogger<BankConfirmations>.Instance);
        var bankEvent = Disbursement(id);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(n =>
            (n % 2 == 0 ? here : there).HandleAsync(bankEvent, bankId, Hash, CancellationToken.None)));

        Assert.Single(outcomes, o => o is WebhookOutcome.Processed);
        Assert.Equal(49, outcomes.Count(o => o is WebhookOutcome.Duplicate));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM application_audit WHERE application_id = '{id}' AND to_status = 'DISBURSED'"));
    }

    [Fact]
    public async Task A_repeat_of_a_delivery_in_flight_waits_for_its_answer_without_a_query_of_its_own()
    {
        var (_, lockHolder, first, repeat) = await FirstBehindALockAndItsRepeatAsync();
        await using var holder = lockHolder;
        var waiting = await LockWaitersAsync();
        await holder.CommitAsync();

        Assert.Equal(1, waiting);
        Assert.IsType<WebhookOutcome.Processed>(await first);
        Assert.IsType<WebhookOutcome.Duplicate>(await repeat);
    }

    [Fact]
    public async Task A_repeat_whose_first_delivery_fails_is_handled_on_its_own()
    {
        var (id, lockHolder, first, repeat) = await FirstBehindALockAndItsRepeatAsync();
        await using var holder = lockHolder;
        // The first delivery's write fails where it waits (its connection is cut): the repeat, waiting on it, goes on by itself.
        await api.Database.ExecuteAsync("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO webhook_events%'
            """);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => first);
        await WaitForLockWaitersAsync(1);
        await holder.CommitAsync();

        Assert.IsType<WebhookOutcome.Processed>(await repeat);
        Assert.Equal("DISBURSED", await api.Database.StatusAsync(id));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM webhook_events WHERE application_id = '{id}'"));
    }

    [Fact]
    public async Task A_delivery_whose_request_is_cancelled_once_handed_to_the_database_is_still_applied_and_published()
    {
        var (id, bankId) = await ApprovedWithBankAsync();
        var confirmations = api.App.Services.GetRequiredService<BankConfirmations>();
        using var subscription = api.App.Services.GetRequiredService<ApplicationEventHub>().Subscribe();
        var bankEvent = Disbursement(id);
        await using var holder = await LockAsync(id);
        using var abandoned = new CancellationTokenSource();

        var first = confirmations.HandleAsync(bankEvent, bankId, Hash, abandoned.Token);
        await WaitForLockWaitersAsync(1);
        await abandoned.CancelAsync();
        await holder.CommitAsync();

        // The bank gave up on its request, but the write was already queued behind the lock: it is seen through, not half-done.
        Assert.IsType<WebhookOutcome.Processed>(await first);
        Assert.Equal("DISBURSED", await api.Database.StatusAsync(id));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (await subscription.Reader.ReadAsync(timeout.Token) is var change && !(change.Id == id && change.Status == "DISBURSED"))
        {
        }
        Assert.IsType<WebhookOutcome.Duplicate>(await confirmations.HandleAsync(bankEvent, bankId, Hash, CancellationToken.None));
    }

    /// <summary>A disbursement's first delivery queued behind another session's lock on its application, and a repeat sent 300 ms later.</summary>
    private async Task<(Guid Id, RowLock Holder, Task<WebhookOutcome> First, Task<WebhookOutcome> Repeat)> FirstBehindALockAndItsRepeatAsync()
    {
        var (id, bankId) = await ApprovedWithBankAsync();
        var confirmations = api.App.Services.GetRequiredService<BankConfirmations>();
        var bankEvent = Disbursement(id);
        var holder = await LockAsync(id);
        var first = confirmations.HandleAsync(bankEvent, bankId, Hash, CancellationToken.None);
        await WaitForLockWaitersAsync(1);
        var repeat = confirmations.HandleAsync(bankEvent, bankId, Hash, CancellationToken.None);
        await Task.Delay(300);
        return (id, holder, first, repeat);
    }

    private static readonly byte[] Hash = SHA256.HashData("the delivered bytes"u8);

    private static BankEvent Disbursement(Guid id) =>
        new($"evt-{Guid.NewGuid():N}", BankEvent.DisbursementCompleted, id, "ref-123", 5_000_000.00m, "COP", DateTimeOffset.UtcNow);

    private async Task<(Guid Id, Guid BankId)> ApprovedWithBankAsync()
    {
        var id = await api.ApplicationInStatusAsync("APPROVED");
        return (id, await api.Database.ScalarAsync<Guid>($"SELECT bank_id FROM credit_applications WHERE id = '{id}'"));
    }

    /// <summary>Another session's lock on the application, which a disbursement's delivery queues behind until it commits.</summary>
    private Task<RowLock> LockAsync(Guid id) => RowLock.TakeAsync(api.Database, id);

    /// <summary>The statement every delivery's write runs (it inserts the event row).</summary>
    internal const string DeliveryWrite = "INSERT INTO webhook_events";

    private Task<long> LockWaitersAsync() => RowLock.WaitersAsync(api.Database, DeliveryWrite);

    private Task WaitForLockWaitersAsync(long count) => RowLock.WaitForWaitersAsync(api.Database, DeliveryWrite, count);

    [Fact]
    public async Task An_unknown_application_is_422_recorded_and_the_same_on_every_retry()
    {
        var body = Event(Guid.NewGuid());

        using var first = await SendAsync(body);
        using var retry = await SendAsync(body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, retry.StatusCode);
        Assert.EndsWith("/unknown_application", (await JsonAsync(retry)).GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_amount_or_currency_is_422_and_changes_nothing()
    {
        var id = await api.ApplicationInStatusAsync("APPROVED");

        using var amount = await SendAsync(Event(id, amount: "4999999.99"));
        using var currency = await SendAsync(Event(id, currency: "EUR"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, amount.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, currency.StatusCode);
        Assert.Equal("APPROVED", await api.Database.StatusAsync(id));
    }

    [Fact]
    public async Task Disbursing_an_application_that_is_not_approved_is_an_invalid_transition_422()
    {
        var id = await api.ApplicationInStatusAsync("APPROVED");
        await api.Database.ExecuteAsync($"UPDATE credit_applications SET status = 'REJECTED' WHERE id = '{id}'");

        using var response = await SendAsync(Event(id));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.EndsWith("/invalid_transition", (await JsonAsync(response)).GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversize_body_is_413_and_malformed_JSON_is_400()
    {
        var huge = Encoding.UTF8.GetBytes(new string(' ', WebhookSignatureLimit + 1));
        var malformed = Encoding.UTF8.GetBytes("{\"event_id\": ");
        var missingFields = Encoding.UTF8.GetBytes("{\"event_id\": \"x\"}");

        using var tooLarge = await SendAsync(huge);
        using var notJson = await SendAsync(malformed);
        using var incomplete = await SendAsync(missingFields);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
    }

    private const int WebhookSignatureLimit = 1024 * 1024;

    private static byte[] Event(Guid applicationId, string type = BankEvent.DisbursementCompleted, string? eventId = null,
        string amount = "5000000.00", string currency = "COP", string reference = "ref-123") =>
        TestBanks.Event(applicationId, type, eventId, amount, currency, reference);

    private Task<HttpResponseMessage> SendAsync(byte[] body) => SendAsync(body, TestBanks.Sign(body));

    private Task<HttpResponseMessage> SendAsync(byte[] body, string? header) => TestBanks.SendAsync(api.App.BaseAddress, body, header);
}

/// <summary>An app that judges a delivery once (production: ten times) before answering that its application is busy.</summary>
public sealed class JudgedOnceFixture : ApiFixture
{
    protected override Action<IServiceCollection> TestServices => services => services.AddSingleton(provider => new BankConfirmations(
        provider.GetRequiredService<NpgsqlDataSource>(), provider.GetRequiredService<LiveEvents>(), TimeProvider.System,
        NullLogger<BankConfirmations>.Instance) { Attempts = 1 });
}

public sealed class BusyApplicationWebhookTests(JudgedOnceFixture api) : IClassFixture<JudgedOnceFixture>
{
    [Fact]
    public async Task A_delivery_whose_application_keeps_changing_while_it_is_judged_is_answered_503_with_Retry_After_and_nothing_is_recorded()
    {
        var id = await api.ApplicationInStatusAsync("APPROVED");
        var body = TestBanks.Event(id);
        await using var holder = await RowLock.TakeAsync(api.Database, id);

        // Judged on the application as it was; before the write gets the row, its amount changes under it.
        var delivery = TestBanks.SendAsync(api.App.BaseAddress, body, TestBanks.Sign(body));
        await RowLock.WaitForWaitersAsync(api.Database, WebhookTests.DeliveryWrite, 1);
        await holder.ExecuteAsync($"UPDATE credit_applications SET requested_amount = requested_amount + 1 WHERE id = '{id}'");
        await holder.CommitAsync();
        using var busy = await delivery;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), busy.Headers.RetryAfter?.Delta);
        Assert.Equal("/api/v1/problems/application_busy", (await JsonAsync(busy)).GetProperty("type").GetString());
        Assert.Equal("APPROVED", await api.Database.StatusAsync(id));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM webhook_events WHERE application_id = '{id}'"));

        // Nothing was recorded, so the bank's retry is judged afresh: once the amount is what it confirmed, it applies.
        await api.Database.ExecuteAsync($"UPDATE credit_applications SET requested_amount = requested_amount - 1 WHERE id = '{id}'");
        using var retry = await TestBanks.SendAsync(api.App.BaseAddress, body, TestBanks.Sign(body));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("DISBURSED", await api.Database.StatusAsync(id));
    }
}

public sealed class WebhookSignatureTests
{
    private static readonly byte[] Body = "{}"u8.ToArray();
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Theory]
    [InlineData(-300, WebhookSignature.Verdict.Valid)]
    [InlineData(300, WebhookSignature.Verdict.Valid)]
    [InlineData(-301, WebhookSignature.Verdict.Stale)]
    [InlineData(301, WebhookSignature.Verdict.Stale)]
    public void Timestamps_up_to_300_seconds_either_side_of_now_are_accepted(int offsetSeconds, WebhookSignature.Verdict expected)
    {
        var t = Now.ToUnixTimeSeconds() + offsetSeconds;

        var verdict = WebhookSignature.Read(WebhookSignature.Sign("bk_1", "s", t, Body), Now, out var header);

        Assert.Equal(expected, verdict);
        Assert.Equal(expected == WebhookSignature.Verdict.Valid, header?.Matches("s", Body) == true);
    }

    [Fact]
    public void A_header_names_its_key_and_matches_only_that_keys_secret_over_the_same_body()
    {
        var t = Now.ToUnixTimeSeconds();

        Assert.Equal(WebhookSignature.Verdict.Valid, WebhookSignature.Read(WebhookSignature.Sign("bk_1", "s", t, Body), Now, out var header));
        Assert.Equal("bk_1", header!.KeyId);
        Assert.True(header.Matches("s", Body));
        Assert.False(header.Matches("t", Body));
        Assert.False(header.Matches("s", "{ }"u8));
        Assert.Equal(WebhookSignature.Verdict.Malformed, WebhookSignature.Read($"t={t},v1={new string('a', 64)}", Now, out _));
        Assert.Equal(WebhookSignature.Verdict.Malformed, WebhookSignature.Read($"t={t},kid={new string('k', 65)},v1={new string('a', 64)}", Now, out _));
        Assert.Equal(WebhookSignature.Verdict.Missing, WebhookSignature.Read(" ", Now, out _));
    }
}
