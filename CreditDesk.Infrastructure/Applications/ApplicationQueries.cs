using System.Collections.Concurrent;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Countries;
using CreditDesk.Domain.Decisions;
using CreditDesk.Domain.Documents;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Persistence;
using CreditDesk.Infrastructure.Pii;
using Npgsql;

namespace CreditDesk.Infrastructure.Applications;

public sealed record ApplicationFilter(
    string? Country = null,
    string? Status = null,
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    decimal? MinAmount = null,
    decimal? MaxAmount = null,
    string? Search = null,
    string? AssignedTo = null,
    string? AwaitingConfirmationBy = null,
    bool ReviewRequested = false)
{
    /// <summary><see cref="AssignedTo"/> for the review queue's applications nobody holds.</summary>
    public const string NoOne = "none";
}

public sealed record ApplicationSummary(
    Guid Id, string Reference, string Country, string Currency, string Status, decimal Amount, decimal MonthlyIncome, int TermMonths,
    int? RiskScore, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DecidedAt, string? AssignedTo = null,
    string? ProductVersion = null, DateTimeOffset? ReviewRequestedAt = null)
{
    /// <summary>The loan product it was priced with: the version in effect when it was submitted (the country's own before products were recorded).</summary>
    public Domain.Pricing.LoanProduct Product => Domain.Pricing.LoanProducts.For(Country, ProductVersion);

    /// <summary>How long it has waited in its status (its last change); for an application under review, its age in review.</summary>
    public TimeSpan Waiting(DateTimeOffset now) => now - UpdatedAt;

    /// <summary>The annuity at its product's rate (what decisions since issue #22 use), to the cent.</summary>
    public decimal EstimatedMonthlyPayment => CountryRegistry.TryGet(Country, out _)
        ? DecisionEngine.PriceOf(Product, new LoanRequest(Amount, MonthlyIncome, TermMonths))
        : new LoanRequest(Amount, MonthlyIncome, TermMonths).EstimatedMonthlyPayment;

    /// <summary>The full price: rate, fee, taxes, schedule and the country's cost figure.</summary>
    public Domain.Pricing.LoanQuote? Quote => CountryRegistry.TryGet(Country, out _) ? Product.Quote(Amount, TermMonths) : null;
}

public sealed record ApplicationDetail(
    ApplicationSummary Summary, string FullName, string Document, bool DocumentMasked, IReadOnlyList<RuleResult> Rules, BureauReport? Bureau);

/// <summary>One status change; <see cref="ProposedBy"/> names who proposed a four-eyes decision that <see cref="ActorId"/> confirmed.</summary>
public sealed record AuditEntry(DateTimeOffset OccurredAt, string? FromStatus, string ToStatus, string Actor, string ActorId, string? Reason, string? ProposedBy = null);

public sealed record WebhookEventView(string EventId, string EventType, string Outcome, int StatusCode, string? Error, DateTimeOffset ReceivedAt);

/// <summary>A position in the newest-first list: the last row seen. Opaque to clients.</summary>
public sealed record PageCursor(DateTimeOffset CreatedAt, Guid Id)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{Id:N}"));

    public static bool TryDecode(string? text, out PageCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks is > 0 and < 3_155_378_975_999_999_999 && Guid.TryParseExact(parts[1], "N", out var id))
            {
                cursor = new PageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
                return true;
            }
        }
        catch (FormatException)
        {
        }
        return false;
    }
}

public sealed record ApplicationPage(IReadOnlyList<ApplicationSummary> Items, PageCursor? Next);

/// <summary>The orders the applications grid offers; newest first is the default and the API's.</summary>
public enum ApplicationOrder
{
    Newest,
    Oldest,
    AmountHighest,
    AmountLowest,
    RiskHighest,
    RiskLowest,
    /// <summary>Longest in its status first: the review queue's order, oldest work first.</summary>
    LongestWaiting,
}

/// <summary>
/// Reads applications for people and machines: keyset paging (never OFFSET), filters, counts, detail, audit. Every
/// query is scoped by the caller: an applicant only ever sees their own applications.
/// </summary>
public sealed class ApplicationQueries(NpgsqlDataSource dataSource, PiiCipher cipher, LoanCatalogue catalogue, TimeProvider clock)
{
    public const int MaxPageSize = 200;
    /// <summary>The columns of a list row (benchmarks time the same SQL).</summary>
    public const string SummaryColumns =
        "id, reference, country, currency, status, requested_amount, monthly_income, term_months, risk_score, created_at, updated_at, decided_at, assigned_to, product_version, "
        + "(SELECT min(r.requested_at) FROM review_requests r WHERE r.application_id = credit_applications.id AND r.outcome IS NULL) AS review_requested_at";

    /// <summary>Newest first, continuing after an API cursor (the order the API offers).</summary>
    public async Task<ApplicationPage> ListAsync(Caller caller, ApplicationFilter filter, int limit, PageCursor? after, CancellationToken cancellationToken)
    {
        var (items, more) = await ListCoreAsync(caller, filter, ApplicationOrder.Newest, limit, after?.CreatedAt, after?.Id, cancellationToken);
        return new ApplicationPage(items, more ? new PageCursor(items[^1].CreatedAt, items[^1].Id) : null);
    }

    /// <summary>
    /// One page in any of the grid's orders, continuing after the last row of the previous page (keyset on the sort key
    /// and the id, so deep pages cost what the first one does).
    /// </summary>
    public Task<(IReadOnlyList<ApplicationSummary> Items, bool More)> ListAsync(
        Caller caller, ApplicationFilter filter, ApplicationOrder order, int limit, ApplicationSummary? after, CancellationToken cancellationToken) =>
        ListCoreAsync(caller, filter, order, limit, after is null ? null : SortKey(order, after), after?.Id, cancellationToken);

    private static object SortKey(ApplicationOrder order, ApplicationSummary row) => order switch
    {
        ApplicationOrder.AmountHighest or ApplicationOrder.AmountLowest => row.Amount,
        ApplicationOrder.RiskHighest or ApplicationOrder.RiskLowest => row.RiskScore ?? -1,
        ApplicationOrder.LongestWaiting => row.UpdatedAt,
        _ => row.CreatedAt,
    };

    private async Task<(IReadOnlyList<ApplicationSummary> Items, bool More)> ListCoreAsync(
        Caller caller, ApplicationFilter filter, ApplicationOrder order, int limit, object? afterKey, Guid? afterId, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        var (key, descending) = order switch
        {
            ApplicationOrder.Oldest => ("created_at", false),
            ApplicationOrder.AmountHighest => ("requested_amount", true),
            ApplicationOrder.AmountLowest => ("requested_amount", false),
            ApplicationOrder.RiskHighest => ("COALESCE(risk_score, -1)", true),
            ApplicationOrder.RiskLowest => ("COALESCE(risk_score, -1)", false),
            ApplicationOrder.LongestWaiting => ("updated_at", false),
            _ => ("created_at", true),
        };
        var direction = descending ? "DESC" : "ASC";
        await using var command = dataSource.CreateCommand();
        var where = Where(command, caller, filter);
        if (afterKey is not null && afterId is { } id)
        {
            where.Add($"({key}, id) {(descending ? "<" : ">")} (@after_key, @after_id)");
            command.Parameters.AddWithValue("after_key", afterKey);
            command.Parameters.AddWithValue("after_id", id);
        }
        command.CommandText = $"SELECT {SummaryColumns} FROM credit_applications {Clause(where)} ORDER BY {key} {direction}, id {direction} LIMIT @limit";
        command.Parameters.AddWithValue("limit", limit + 1);
        var items = new List<ApplicationSummary>(limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(ReadSummary(reader));
            }
        }
        await catalogue.LearnAsync(items.Select(item => item.ProductVersion), cancellationToken);
        var more = items.Count > limit;
        if (more)
        {
            items.RemoveAt(limit);
        }
        return (items, more);
    }

    /// <summary>How long staff counts are shared: every officer's grid asks at most once a second, the node once per window.</summary>
    public static readonly TimeSpan CountsWindow = TimeSpan.FromSeconds(2);

    private const int MaxSharedFilters = 256;
    private readonly ConcurrentDictionary<ApplicationFilter, SharedCounts> sharedCounts = new();

    /// <summary>
    /// How many applications match the filter in each status (the status filter itself is ignored). Staff see the
    /// whole desk, so their counts are the same for every officer with the same filter: computed once per
    /// <see cref="CountsWindow"/> per node and shared (at 1 000 000 applications the GROUP BY takes 110–170 ms;
    /// counters kept by triggers made it microseconds but cost intake 30 % and the drain 33 %, see docs/PERFORMANCE.md).
    /// An applicant's own counts are small and always fresh.
    /// </summary>
    public Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(Caller caller, ApplicationFilter filter, CancellationToken cancellationToken)
    {
        if (caller.IsApplicant)
        {
            return CountAsync(caller, filter, cancellationToken);
        }
        var key = filter with { Status = null };
        var now = clock.GetUtcNow();
        if (sharedCounts.TryGetValue(key, out var cached) && cached.Until > now && !cached.Counts.IsFaulted)
        {
            return cached.Counts;
        }
        // Filters come from people typing (dates, amounts, id prefixes): forget expired windows before the map grows.
        if (sharedCounts.Count >= MaxSharedFilters)
        {
            foreach (var (expiredKey, expired) in sharedCounts.Where(entry => entry.Value.Until <= now))
            {
                sharedCounts.TryRemove(new KeyValuePair<ApplicationFilter, SharedCounts>(expiredKey, expired));
            }
        }
        // Concurrent callers in the same window share one query (a failure is not kept: the next caller asks again).
        var fresh = new SharedCounts(CountAsync(caller, key, CancellationToken.None), now + CountsWindow);
        return sharedCounts.AddOrUpdate(key, fresh, (_, existing) => existing.Until > now && !existing.Counts.IsFaulted ? existing : fresh).Counts;
    }

    private sealed record SharedCounts(Task<IReadOnlyDictionary<string, long>> Counts, DateTimeOffset Until);

    private async Task<IReadOnlyDictionary<string, long>> CountAsync(Caller caller, ApplicationFilter filter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        var where = Where(command, caller, filter with { Status = null });
        command.CommandText = $"SELECT status, count(*) FROM credit_applications {Clause(where)} GROUP BY status";
        var counts = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }

    public async Task<ApplicationSummary?> GetSummaryAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        var where = Where(command, caller, new ApplicationFilter());
        where.Add("id = @id");
        command.Parameters.AddWithValue("id", id);
        command.CommandText = $"SELECT {SummaryColumns} FROM credit_applications {Clause(where)}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var summary = await reader.ReadAsync(cancellationToken) ? ReadSummary(reader) : null;
        await catalogue.LearnAsync([summary?.ProductVersion], cancellationToken);
        return summary;
    }

    /// <summary>The full view of one application; the document is masked unless the caller is an admin.</summary>
    public async Task<ApplicationDetail?> GetAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        var where = Where(command, caller, new ApplicationFilter());
        where.Add("id = @id");
        command.Parameters.AddWithValue("id", id);
        command.CommandText =
            $"SELECT {SummaryColumns}, pii_key_id, full_name_cipher, document_cipher, rule_results::text, bureau_report::text FROM credit_applications {Clause(where)}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var summary = ReadSummary(reader);
        await catalogue.LearnAsync([summary.ProductVersion], cancellationToken);
        var keyId = reader.GetString(15);
        var fullName = cipher.Decrypt(keyId, reader.GetFieldValue<byte[]>(16));
        var document = cipher.Decrypt(keyId, reader.GetFieldValue<byte[]>(17));
        var rules = reader.IsDBNull(18) ? [] : JsonSerializer.Deserialize<List<RuleResult>>(reader.GetString(18), Json.Options) ?? [];
        var bureau = reader.IsDBNull(19) ? null : JsonSerializer.Deserialize<BureauReport>(reader.GetString(19), Json.Options);
        return new ApplicationDetail(summary, fullName, caller.IsAdmin ? document : DocumentText.Mask(document), !caller.IsAdmin, rules, bureau);
    }

    /// <summary>The audit trail, oldest first; null when the caller may not see the application.</summary>
    /// <summary>At most this many audit entries or bank events per application are read (the latest, oldest first): a
    /// storm of webhooks for one application cannot make its page or its API answer unbounded.</summary>
    public const int ListBound = 200;

    public async Task<IReadOnlyList<AuditEntry>?> AuditAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        if (await GetSummaryAsync(caller, id, cancellationToken) is null)
        {
            return null;
        }
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT occurred_at, from_status, to_status, actor, actor_id, reason, proposed_by FROM (
                SELECT id, occurred_at, from_status, to_status, actor, actor_id, reason, proposed_by FROM application_audit
                 WHERE application_id = @id ORDER BY id DESC LIMIT {ListBound}) latest
             ORDER BY id
            """);
        command.Parameters.AddWithValue("id", id);
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(reader.GetFieldValue<DateTimeOffset>(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }
        return entries;
    }

    public async Task<IReadOnlyList<WebhookEventView>> WebhookEventsAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT event_id, event_type, outcome, status_code, error, received_at FROM (
                SELECT event_id, event_type, outcome, status_code, error, received_at FROM webhook_events
                 WHERE application_id = @id ORDER BY received_at DESC LIMIT {ListBound}) latest
             ORDER BY received_at
            """);
        command.Parameters.AddWithValue("id", id);
        var events = new List<WebhookEventView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new WebhookEventView(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return events;
    }

    private List<string> Where(NpgsqlCommand command, Caller caller, ApplicationFilter filter)
    {
        var where = new List<string>();
        void Add(string condition, string name, object value)
        {
            where.Add(condition);
            command.Parameters.AddWithValue(name, value);
        }
        if (caller.IsApplicant)
        {
            Add("applicant_user_id = @caller", "caller", caller.Id);
        }
        if (!string.IsNullOrWhiteSpace(filter.Country))
        {
            Add("country = @country", "country", filter.Country.Trim().ToUpperInvariant());
        }
        if (!string.IsNullOrWhiteSpace(filter.Status))
        {
            Add("status = @status", "status", filter.Status.Trim().ToUpperInvariant());
        }
        if (filter.CreatedFrom is { } from)
        {
            Add("created_at >= @from", "from", from);
        }
        if (filter.CreatedTo is { } to)
        {
            Add("created_at < @to", "to", to);
        }
        if (filter.MinAmount is { } min)
        {
            Add("requested_amount >= @min", "min", min);
        }
        if (filter.MaxAmount is { } max)
        {
            Add("requested_amount <= @max", "max", max);
        }
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var (condition, name, value) = SearchCondition(filter.Search);
            Add(condition, name, value);
        }
        // The review queue: applications under review, held by someone or by no one.
        if (filter.AssignedTo == ApplicationFilter.NoOne)
        {
            where.Add("status = 'UNDER_REVIEW' AND assigned_to IS NULL");
        }
        else if (filter.AssignedTo is { } assignee)
        {
            Add("status = 'UNDER_REVIEW' AND assigned_to = @assignee", "assignee", assignee);
        }
        // Four-eyes: an open proposal someone else made, which this admin can confirm or decline.
        if (filter.AwaitingConfirmationBy is { } confirmer)
        {
            Add("EXISTS (SELECT 1 FROM decision_proposals p WHERE p.application_id = credit_applications.id AND p.state = 'pending' AND p.proposed_by <> @confirmer)",
                "confirmer", confirmer);
        }
        // Applicants' requests for a human review that no one has answered yet.
        if (filter.ReviewRequested)
        {
            where.Add("EXISTS (SELECT 1 FROM review_requests r WHERE r.application_id = credit_applications.id AND r.outcome IS NULL)");
        }
        return where;
    }

    /// <summary>
    /// What a search box finds, exactly: a reference (ES-2026-000123), a whole id, or an identity document valid in
    /// some country (matched through the keyed hash, never in clear); anything else is taken as the start of an id.
    /// </summary>
    private (string Condition, string Name, object Value) SearchCondition(string search)
    {
        if (ApplicationReference.TryNormalize(search, out var reference))
        {
            return ("reference = @reference", "reference", reference);
        }
        var text = search.Trim().ToLowerInvariant();
        if (Guid.TryParse(text, out var exact))
        {
            return ("id = @exact_id", "exact_id", exact);
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var document = DocumentText.Normalize(search);
        var hashes = CountryRegistry.All
            .Where(policy => policy.Document.Validate(document, today).IsValid)
            .Select(policy => cipher.DocumentHash(policy.Code, document))
            .ToArray();
        if (hashes.Length > 0)
        {
            return ("document_hash = ANY(@document_hashes)", "document_hashes", hashes);
        }
        return ("id::text LIKE @id_prefix", "id_prefix", new string(text.Where(c => char.IsAsciiHexDigit(c) || c == '-').ToArray()) + "%");
    }

    private static string Clause(List<string> where) => where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);

    private static ApplicationSummary ReadSummary(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetDecimal(5),
        reader.GetDecimal(6), reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetInt32(8), reader.GetFieldValue<DateTimeOffset>(9),
        reader.GetFieldValue<DateTimeOffset>(10), reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11), reader.IsDBNull(12) ? null : reader.GetString(12),
        reader.IsDBNull(13) ? null : reader.GetString(13), reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14));
}
