using Microsoft.Extensions.Caching.Memory;

namespace CreditDesk.Infrastructure.Access;

/// <summary>
/// A bounded <see cref="MemoryCache"/> of credentials' lookups that can be emptied at once: every node empties its
/// caches when any credential is revoked (NOTIFY <c>creditdesk_access</c>). A lookup takes <see cref="Current"/>
/// before asking the database and stores its answer there: if an emptying happened meanwhile, the answer (possibly
/// read before the revocation committed) lands in the discarded cache and is not remembered.
/// </summary>
public sealed class RevocableCache(TimeProvider clock, int entries) : IDisposable
{
    private MemoryCache cache = NewCache(clock, entries);

    public MemoryCache Current => Volatile.Read(ref cache);

    public long Count => Current.Count;

    /// <summary>Starts from an empty cache; lookups still reading the old one finish on it (it is not disposed under them).</summary>
    public void Forget() => Interlocked.Exchange(ref cache, NewCache(clock, entries));

    /// <summary>Remembers an answer for a while; a full cache refuses it (and compacts): the lookup still answers, it is just not remembered.</summary>
    public static void Remember<T>(MemoryCache into, string key, T value, TimeSpan lifetime) =>
        into.Set(key, value, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = lifetime });

    public void Dispose() => Current.Dispose();

    private static MemoryCache NewCache(TimeProvider clock, int entries) =>
        new(new MemoryCacheOptions { SizeLimit = entries, Clock = new TimeProviderClock(clock) });

    /// <summary>MemoryCache reads time through ISystemClock; this one is the owner's TimeProvider (tests move it).</summary>
    private sealed class TimeProviderClock(TimeProvider clock) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => clock.GetUtcNow();
    }
}
