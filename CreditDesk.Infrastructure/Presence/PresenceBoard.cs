using System.Text.Json.Serialization;
using CreditDesk.Infrastructure.Access;

namespace CreditDesk.Infrastructure.Presence;

/// <summary>What a viewer of an application is doing there.</summary>
public static class PresenceActivity
{
    public const string Viewing = "viewing";
    /// <summary>Has the status box in hand (a status chosen or a reason being written).</summary>
    public const string ChangingStatus = "status";
    public const string WritingNote = "note";

    public static bool IsKnown(string? activity) => activity is Viewing or ChangingStatus or WritingNote;
}

/// <summary>
/// One member of staff with one application open in one browser tab (<see cref="Session"/> is the tab's circuit). No
/// applicant ever is one: <see cref="PresenceBoard.Enter"/> refuses them.
/// </summary>
public sealed record Viewer(
    [property: JsonPropertyName("s")] Guid Session,
    [property: JsonPropertyName("a")] Guid ApplicationId,
    [property: JsonPropertyName("u")] string UserId,
    [property: JsonPropertyName("e")] string Email,
    [property: JsonPropertyName("r")] string Role,
    [property: JsonPropertyName("w")] string Activity);

/// <summary>
/// Who has which application open, on every node, held in memory only. This node's viewers are announced by the
/// <see cref="PresencePublisher"/> (the whole set, on change and as a heartbeat); other nodes' sets arrive through the
/// listener and are forgotten when their node falls silent for <see cref="Expiry"/>. Nothing is stored in a table.
/// </summary>
public sealed class PresenceBoard(TimeProvider clock) : IDisposable
{
    /// <summary>How often a node with viewers repeats its set, so a killed node is noticed by its silence.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);

    /// <summary>A node unheard this long is gone with its viewers (two heartbeats missed, then the sweep's second).</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(12);

    private readonly Lock gate = new();
    private readonly Dictionary<Guid, Viewer> local = [];
    private readonly HashSet<Guid> disconnected = [];
    private readonly Dictionary<Guid, RemoteNode> remote = [];
    private readonly SemaphoreSlim dirty = new(0, 1);
    private IReadOnlyDictionary<Guid, Viewer[]> byApplication = new Dictionary<Guid, Viewer[]>();
    private bool helloWanted;

    /// <summary>This process's name in presence messages (a restarted node is a new one).</summary>
    public Guid Node { get; } = Guid.NewGuid();

    /// <summary>Raised (off any renderer) whenever the set of viewers anywhere changed; heartbeats that change nothing raise nothing.</summary>
    public event Action? Changed;

    /// <summary>Every viewer of an application on every node, this node's disconnected tabs left out.</summary>
    public IReadOnlyList<Viewer> ViewersOf(Guid applicationId) => Volatile.Read(ref byApplication).GetValueOrDefault(applicationId, []);

    /// <summary>The others (not <paramref name="userId"/>, whichever tab) viewing an application, one entry per person, the busiest activity first.</summary>
    public IReadOnlyList<Viewer> OthersOn(Guid applicationId, string userId) => People(ViewersOf(applicationId).Where(viewer => viewer.UserId != userId));

    /// <summary>One entry per person: a person with two tabs open shows what they do in the busier one.</summary>
    public static IReadOnlyList<Viewer> People(IEnumerable<Viewer> viewers) => viewers
        .GroupBy(viewer => viewer.UserId)
        .Select(person => person.OrderBy(viewer => viewer.Activity == PresenceActivity.Viewing ? 1 : 0).First())
        .OrderBy(viewer => viewer.Email, StringComparer.Ordinal)
        .ToList();

    /// <summary>Applications someone other than <paramref name="userId"/> has open, with who (for the list's markers).</summary>
    public IReadOnlyDictionary<Guid, IReadOnlyList<Viewer>> OpenByOthers(string userId)
    {
        var open = new Dictionary<Guid, IReadOnlyList<Viewer>>();
        foreach (var (application, viewers) in Volatile.Read(ref byApplication))
        {
            var others = OthersOn(application, userId);
            if (others.Count > 0)
            {
                open[application] = others;
            }
        }
        return open;
    }

    /// <summary>A tab opened an application (or its viewer started doing something else there).</summary>
    public void Enter(Viewer viewer)
    {
        if (viewer.Role is not (Roles.Officer or Roles.Admin) || !PresenceActivity.IsKnown(viewer.Activity))
        {
            throw new ArgumentException("Only staff appear in presence, with a known activity.", nameof(viewer));
        }
        lock (gate)
        {
            if (local.TryGetValue(viewer.Session, out var was) && was == viewer)
            {
                return;
            }
            local[viewer.Session] = viewer;
        }
        LocalChanged();
    }

    public void Leave(Guid session)
    {
        lock (gate)
        {
            disconnected.Remove(session);
            if (!local.Remove(session))
            {
                return;
            }
        }
        LocalChanged();
    }

    /// <summary>A tab's connection dropped: its viewer disappears now, not when its circuit is finally let go minutes later.</summary>
    public void Disconnected(Guid session) => SetConnected(session, connected: false);

    /// <summary>The tab reconnected to the same circuit: it is back where it was.</summary>
    public void Reconnected(Guid session) => SetConnected(session, connected: true);

    private void SetConnected(Guid session, bool connected)
    {
        lock (gate)
        {
            var changed = connected ? disconnected.Remove(session) : disconnected.Add(session);
            if (!changed || !local.ContainsKey(session))
            {
                return;
            }
        }
        LocalChanged();
    }

    /// <summary>The LISTEN connection is (again) in place: ask the other nodes for their sets instead of waiting a heartbeat.</summary>
    public void AskOthers()
    {
        lock (gate)
        {
            helloWanted = true;
        }
        Signal();
    }

    /// <summary>A message from another node (this node's own echoes are ignored).</summary>
    public void Receive(PresenceMessage message)
    {
        if (message.Node == Node)
        {
            return;
        }
        var changed = false;
        var answer = false;
        lock (gate)
        {
            if (message.Bye)
            {
                changed = remote.Remove(message.Node);
            }
            else
            {
                if (!remote.TryGetValue(message.Node, out var node))
                {
                    remote[message.Node] = node = new RemoteNode();
                }
                node.HeardAt = clock.GetUtcNow();
                changed = node.Accept(message);
            }
            answer = message.Hello && local.Count > 0;
            if (changed)
            {
                Rebuild();
            }
        }
        if (answer)
        {
            Signal();
        }
        if (changed)
        {
            Changed?.Invoke();
        }
    }

    /// <summary>Forgets nodes unheard for <see cref="Expiry"/> (a killed node says no goodbye).</summary>
    public void ForgetSilentNodes()
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            var silent = remote.Where(node => now - node.Value.HeardAt >= Expiry).Select(node => node.Key).ToList();
            if (silent.Count == 0)
            {
                return;
            }
            var hadViewers = silent.Any(node => remote[node].Viewers.Length > 0);
            foreach (var node in silent)
            {
                remote.Remove(node);
            }
            if (!hadViewers)
            {
                return;
            }
            Rebuild();
        }
        Changed?.Invoke();
    }

    /// <summary>Waits until this node's set changed or another node asked for it, or <paramref name="timeout"/> passed; true when there is news to publish.</summary>
    internal async Task<bool> WaitForNewsAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await dirty.WaitAsync(timeout, cancellationToken);

    /// <summary>What this node announces now: its connected viewers, and whether it asks the others to answer.</summary>
    internal (IReadOnlyList<Viewer> Viewers, bool Hello) TakeAnnouncement()
    {
        lock (gate)
        {
            var hello = helloWanted;
            helloWanted = false;
            return (local.Values.Where(viewer => !disconnected.Contains(viewer.Session)).ToList(), hello);
        }
    }

    /// <summary>An announcement could not be sent: ask again next time.</summary>
    internal void AnnouncementFailed(bool hello)
    {
        lock (gate)
        {
            helloWanted |= hello;
        }
    }

    private void LocalChanged()
    {
        lock (gate)
        {
            Rebuild();
        }
        Signal();
        Changed?.Invoke();
    }

    private void Signal()
    {
        try
        {
            if (dirty.CurrentCount == 0)
            {
                dirty.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one announcement carries every change since.
        }
    }

    // Called under the gate: the index readers use is replaced whole, never changed in place.
    private void Rebuild() => Volatile.Write(ref byApplication, local.Values.Where(viewer => !disconnected.Contains(viewer.Session))
        .Concat(remote.Values.SelectMany(node => node.Viewers))
        .GroupBy(viewer => viewer.ApplicationId)
        .ToDictionary(group => group.Key, group => group.ToArray()));

    public void Dispose() => dirty.Dispose();

    /// <summary>Another node's latest complete set, put together from its parts.</summary>
    private sealed class RemoteNode
    {
        private long pendingSequence = -1;
        private readonly Dictionary<int, Viewer[]> pending = [];

        public DateTimeOffset HeardAt { get; set; }

        public long Sequence { get; private set; } = -1;

        public Viewer[] Viewers { get; private set; } = [];

        /// <summary>Takes a part; returns true when it completed a set different from the one held.</summary>
        public bool Accept(PresenceMessage message)
        {
            if (message.Sequence <= Sequence || message.Parts < 1 || message.Part < 0 || message.Part >= message.Parts)
            {
                return false;
            }
            if (message.Sequence != pendingSequence)
            {
                pendingSequence = message.Sequence;
                pending.Clear();
            }
            pending[message.Part] = message.Viewers;
            if (pending.Count < message.Parts)
            {
                return false;
            }
            var complete = pending.OrderBy(part => part.Key).SelectMany(part => part.Value).ToArray();
            pending.Clear();
            Sequence = message.Sequence;
            var same = complete.Length == Viewers.Length && complete.ToHashSet().SetEquals(Viewers);
            Viewers = complete;
            return !same;
        }
    }
}

/// <summary>
/// One NOTIFY on the presence channel: a part of a node's whole set of viewers (a set larger than a NOTIFY payload is
/// sent in several parts of one sequence number), or its goodbye. <see cref="Hello"/> asks the others to answer at once.
/// </summary>
public sealed record PresenceMessage(
    [property: JsonPropertyName("n")] Guid Node,
    [property: JsonPropertyName("q")] long Sequence,
    [property: JsonPropertyName("i")] int Part,
    [property: JsonPropertyName("c")] int Parts,
    [property: JsonPropertyName("v")] Viewer[] Viewers,
    [property: JsonPropertyName("h")] bool Hello = false,
    [property: JsonPropertyName("b")] bool Bye = false);
