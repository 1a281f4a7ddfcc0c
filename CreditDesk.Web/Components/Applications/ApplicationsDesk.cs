using System.Globalization;
using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Countries;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Events;
using CreditDesk.Infrastructure.Presence;
using CreditDesk.Web.Components.Live;
using Microsoft.AspNetCore.WebUtilities;

namespace CreditDesk.Web.Components.Applications;

/// <summary>The filters of the applications screen, as they travel in its query string (shareable, survive a reload).</summary>
public sealed record DeskFilters(
    string? Country = null, string? Status = null, DateOnly? From = null, DateOnly? To = null,
    decimal? MinAmount = null, decimal? MaxAmount = null, string? Search = null, string? Queue = null)
{
    /// <summary>The review queue's views: what I hold, and what nobody holds (both only applications under review).</summary>
    public const string MyQueue = "mine";
    public const string Unassigned = "none";
    /// <summary>Admins: applications with a four-eyes proposal someone else made, waiting for my confirmation.</summary>
    public const string ToConfirm = "confirm";
    /// <summary>Applications whose applicant asked for a human review that has no outcome yet.</summary>
    public const string ReviewRequests = "review";

    public static DeskFilters FromQuery(string? country, string? status, string? from, string? to, string? min, string? max, string? search, string? queue = null) => new(
        CountryRegistry.TryGet(country, out var policy) ? policy.Code : null,
        ApplicationStatusCodes.TryParse(status, out var parsed) ? parsed.ToCode() : null,
        DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var f) ? f : null,
        DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null,
        decimal.TryParse(min, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var low) ? low : null,
        decimal.TryParse(max, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var high) ? high : null,
        string.IsNullOrWhiteSpace(search) ? null : search.Trim(),
        queue is MyQueue or Unassigned or ToConfirm or ReviewRequests ? queue : null);

    /// <summary>The applications page's address with these filters (empty ones left out).</summary>
    public string ToUri(string path)
    {
        var query = new Dictionary<string, string?>
        {
            ["country"] = Country,
            ["status"] = Status,
            ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["min"] = MinAmount?.ToString(CultureInfo.InvariantCulture),
            ["max"] = MaxAmount?.ToString(CultureInfo.InvariantCulture),
            ["q"] = Search,
            ["queue"] = Queue,
        };
        return QueryHelpers.AddQueryString(path, query.Where(p => p.Value is not null));
    }

    /// <summary>Amounts only compare within one currency: without a country they are not applied.</summary>
    public bool AmountsApply => Country is not null;

    public ApplicationFilter ToQuery(Caller? caller = null) => new(Country, Status,
        From is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        To is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        AmountsApply ? MinAmount : null, AmountsApply ? MaxAmount : null, Search,
        Queue switch
        {
            MyQueue => caller?.Id ?? ApplicationFilter.NoOne,
            Unassigned => ApplicationFilter.NoOne,
            _ => null,
        },
        Queue == ToConfirm ? caller?.Id ?? "" : null,
        Queue == ReviewRequests);

    /// <summary>Whether a new application announced live belongs on the list as filtered (dates, amounts and search need the row).</summary>
    public bool Admits(ApplicationChanged change) =>
        (Country is null || change.Country == Country) && (Status is null || change.Status == Status)
        && From is null && To is null && (!AmountsApply || (MinAmount is null && MaxAmount is null)) && Search is null && Queue is null;
}

/// <summary>
/// The state of one circuit's applications screen: filters, keyset cursors under the grid's page numbers, counts per
/// status, rows that changed live (their new status shown in place and briefly highlighted) and how many new ones
/// arrived while the officer was on a later page. Components render from it; it listens once for the whole screen.
/// </summary>
public sealed class ApplicationsDesk(ApplicationQueries queries, ReviewWork review, CircuitLiveUpdates live, PresenceBoard presence, TimeProvider clock)
    : IAsyncDisposable
{
    private IReadOnlyDictionary<Guid, IReadOnlyList<Viewer>> openByOthers = new Dictionary<Guid, IReadOnlyList<Viewer>>();

    /// <summary>The others (staff, any node) who have this row's application open right now.</summary>
    public IReadOnlyList<Viewer> OthersOn(Guid id) => openByOthers.GetValueOrDefault(id, []);

    private IReadOnlyDictionary<string, string> staffNames = new Dictionary<string, string>();

    /// <summary>How a staff member is shown (their e-mail); an id the desk does not know (an API key's) as it is.</summary>
    public string StaffName(string userId) => staffNames.GetValueOrDefault(userId, userId);

    public static readonly TimeSpan FlashFor = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CountsEvery = TimeSpan.FromSeconds(1);

    // Page number → the last row of the page before it (keyset: the next page starts after that row in this order).
    private readonly Dictionary<int, ApplicationSummary?> cursors = new() { [0] = null };
    private ApplicationOrder order = ApplicationOrder.Newest;
    private readonly Dictionary<Guid, DateTimeOffset> flashing = [];
    private readonly Dictionary<Guid, ApplicationChanged> liveChanges = [];
    private IAsyncDisposable? listening;
    private Func<Func<Task>, Task> dispatch = work => work();
    private int countsRefreshScheduled;
    private readonly CancellationTokenSource stopped = new();
    private DateTimeOffset countsAt = DateTimeOffset.MinValue;
    private int pageSize = 25;

    public Caller? Caller { get; private set; }

    public DeskFilters Filters { get; private set; } = new();

    public IReadOnlyDictionary<string, long> Counts { get; private set; } = new Dictionary<string, long>();

    public long Total => Filters.Status is null ? Counts.Values.Sum() : Counts.GetValueOrDefault(Filters.Status);

    public int PageIndex { get; private set; }

    public int NewCount { get; private set; }

    /// <summary>What went wrong, as a DeskText key the page says in its language.</summary>
    public string? Error { get; private set; }

    /// <summary>Raised on the screen's renderer after live changes were folded in; a reload is asked for when new rows belong on page one.</summary>
    public event Func<bool, Task>? Changed;

    /// <summary>Starts listening; <paramref name="dispatch"/> runs live work on the screen's renderer (a component's InvokeAsync).</summary>
    public async Task StartAsync(Caller caller, Func<Func<Task>, Task> dispatch)
    {
        Caller = caller;
        this.dispatch = dispatch;
        listening ??= live.Listen(OnLiveAsync);
        if (!caller.IsApplicant)
        {
            presence.Changed -= OnPresenceChanged;
            presence.Changed += OnPresenceChanged;
            openByOthers = presence.OpenByOthers(caller.Id);
            staffNames = (await review.StaffAsync(CancellationToken.None)).ToDictionary(member => member.Id, member => member.Name);
        }
        await RefreshCountsAsync(force: true);
    }

    /// <summary>New filters start again from the first page; returns whether anything changed.</summary>
    public bool SetFilters(DeskFilters filters)
    {
        if (filters == Filters)
        {
            return false;
        }
        Filters = filters;
        ResetCursors();
        NewCount = 0;
        countsAt = DateTimeOffset.MinValue;
        return true;
    }

    /// <summary>One page of the grid in the given order, walking keyset cursors forward from the nearest known page.</summary>
    public async Task<(IReadOnlyList<ApplicationSummary> Items, long Total)> LoadPageAsync(int page, int size, ApplicationOrder order, CancellationToken cancellationToken)
    {
        if (Caller is not { } caller)
        {
            return ([], 0);
        }
        try
        {
            if (size != pageSize || order != this.order)
            {
                (pageSize, this.order) = (size, order);
                ResetCursors();
            }
            var filter = Filters.ToQuery(caller);
            var known = cursors.Keys.Where(k => k <= page).Max();
            for (var index = known; index < page; index++)
            {
                var skipped = await queries.ListAsync(caller, filter, order, size, cursors[index], cancellationToken);
                if (!skipped.More)
                {
                    page = index;
                    break;
                }
                cursors[index + 1] = skipped.Items[^1];
            }
            var result = await queries.ListAsync(caller, filter, order, size, cursors[page], cancellationToken);
            if (result.More)
            {
                cursors[page + 1] = result.Items[^1];
            }
            PageIndex = page;
            if (page == 0)
            {
                NewCount = 0;
            }
            // Filters always come back to the first page, so only then must the counts be fresh; paging reuses them.
            await RefreshCountsAsync(force: page == 0);
            Error = null;
            liveChanges.Clear();
            return (result.Items, Total);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
        {
            Error = "Applications.LoadFailed";
            return ([], 0);
        }
    }

    /// <summary>The row as it is now: the status, time and risk score of a live change that arrived after the page was read.</summary>
    public ApplicationSummary Current(ApplicationSummary row) =>
        liveChanges.TryGetValue(row.Id, out var change) && change.UpdatedAt >= row.UpdatedAt
            ? row with { Status = change.Status, UpdatedAt = change.UpdatedAt, RiskScore = change.RiskScore ?? row.RiskScore, AssignedTo = change.AssignedTo }
            : row;

    public bool IsFlashing(Guid id) => flashing.TryGetValue(id, out var since) && clock.GetUtcNow() - since < FlashFor;

    /// <summary>Rows that were not on page one before a reload are new: highlight them.</summary>
    public void MarkNew(IEnumerable<Guid> ids)
    {
        foreach (var id in ids)
        {
            flashing[id] = clock.GetUtcNow();
        }
    }

    // Raised off the renderer for any presence change anywhere: the rows re-render only when the markers differ.
    private void OnPresenceChanged()
    {
        if (Caller is not { } caller || presence.OpenByOthers(caller.Id) is var now && SameMarkers(now, openByOthers))
        {
            return;
        }
        _ = dispatch(async () =>
        {
            openByOthers = now;
            await RaiseChangedAsync(false);
        });
    }

    private static bool SameMarkers(IReadOnlyDictionary<Guid, IReadOnlyList<Viewer>> now, IReadOnlyDictionary<Guid, IReadOnlyList<Viewer>> shown) =>
        now.Count == shown.Count && now.All(open => shown.TryGetValue(open.Key, out var was) && was.SequenceEqual(open.Value));

    private Task OnLiveAsync(IReadOnlyList<ApplicationChanged> batch) => dispatch(() => FoldAsync(batch));

    private async Task FoldAsync(IReadOnlyList<ApplicationChanged> batch)
    {
        var reloadFirstPage = false;
        var rowsChanged = false;
        foreach (var change in batch)
        {
            // A queue view is defined by who holds what and which proposals and review requests are open: such a change moves rows in or
            // out of it, so the page is read again.
            if (Filters.Queue is not null && change.What is ApplicationChanged.AssignmentChange or ApplicationChanged.ProposalChange or ApplicationChanged.ReviewChange)
            {
                reloadFirstPage |= PageIndex == 0;
            }
            // Notes, proposals and documents change nothing a row shows; an open detail listens for them itself.
            if (change.What is not (ApplicationChanged.StatusChange or ApplicationChanged.AssignmentChange))
            {
                continue;
            }
            if (change.PreviousStatus is null)
            {
                if (Filters.Admits(change))
                {
                    reloadFirstPage |= PageIndex == 0;
                    NewCount += PageIndex == 0 ? 0 : 1;
                }
                continue;
            }
            liveChanges[change.Id] = change;
            flashing[change.Id] = clock.GetUtcNow();
            rowsChanged = true;
        }
        foreach (var stale in flashing.Where(f => clock.GetUtcNow() - f.Value > FlashFor).Select(f => f.Key).ToList())
        {
            flashing.Remove(stale);
        }
        if (rowsChanged)
        {
            // Rows that changed status show it now, without a query: the counts and the first page (queries) come after.
            await RaiseChangedAsync(false);
        }
        // Counts move with every change; they are shared per node for a short window, so asking is cheap. What that
        // window hides is fetched once it has passed, so counts never stay behind the rows.
        var countsRead = await RefreshCountsAsync(force: false);
        ScheduleCountsRefresh();
        if (reloadFirstPage || countsRead || !rowsChanged)
        {
            await RaiseChangedAsync(reloadFirstPage);
        }
    }

    private async Task RaiseChangedAsync(bool reloadFirstPage)
    {
        if (Changed is { } changed)
        {
            await changed(reloadFirstPage);
        }
    }

    private void ScheduleCountsRefresh()
    {
        if (Interlocked.Exchange(ref countsRefreshScheduled, 1) == 1)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(ApplicationQueries.CountsWindow + CountsEvery, stopped.Token);
                Interlocked.Exchange(ref countsRefreshScheduled, 0);
                await dispatch(async () =>
                {
                    await RefreshCountsAsync(force: true);
                    await RaiseChangedAsync(false);
                });
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                // The screen went away first.
            }
        });
    }

    /// <summary>Reads the counts again unless they were read less than <see cref="CountsEvery"/> ago; whether it read them.</summary>
    private async Task<bool> RefreshCountsAsync(bool force)
    {
        if (Caller is not { } caller || (!force && clock.GetUtcNow() - countsAt < CountsEvery))
        {
            return false;
        }
        countsAt = clock.GetUtcNow();
        try
        {
            Counts = await queries.CountByStatusAsync(caller, Filters.ToQuery(caller), CancellationToken.None);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
        {
            Error = "Applications.CountsFailed";
        }
        return true;
    }

    private void ResetCursors()
    {
        cursors.Clear();
        cursors[0] = null;
    }

    public async ValueTask DisposeAsync()
    {
        presence.Changed -= OnPresenceChanged;
        await stopped.CancelAsync();
        if (listening is not null)
        {
            await listening.DisposeAsync();
        }
        stopped.Dispose();
    }
}
