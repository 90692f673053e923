using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;

namespace LiveDiscussion.Web.Infrastructure;

/// <summary>
/// Hands what a page loaded while prerendering to the same page once it is interactive, through the node's memory.
/// Only the key travels through the browser (persisted component state): the browser sends the persisted state back in
/// its circuit's first message, so a page that persisted a whole thread would make that message as large as the
/// thread, and a thread of a few dozen replies would close the circuit at the hub's message limit. A key is taken once, and one not taken
/// within a minute is dropped; a page that finds nothing (another node, a late start, a full store) loads again.
/// </summary>
public sealed class PrerenderHandoff : IDisposable
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(1);

    // Prerenders that never become interactive (crawlers, a flood of plain GETs) must not grow the node without bound:
    // past this many bytes nothing more is kept, and those pages read again.
    private const long MaxBytes = 64L * 1024 * 1024;

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = MaxBytes });

    /// <summary>
    /// Keeps <paramref name="value"/>, about <paramref name="approximateBytes"/> large, for <paramref name="owner"/> (a
    /// user id, or "" for a signed-out reader).
    /// </summary>
    public string Give<T>(T value, string owner, long approximateBytes) where T : class
    {
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        cache.Set(CacheKey(key), new Handed(value, owner),
            new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Keep, Size = Math.Max(1, approximateBytes) });
        return key;
    }

    /// <summary>What was given under <paramref name="key"/> to the same owner, once; null otherwise.</summary>
    public T? Take<T>(string? key, string owner) where T : class
    {
        if (key is null || !cache.TryGetValue(CacheKey(key), out Handed? handed) || handed is null)
        {
            return null;
        }

        cache.Remove(CacheKey(key));
        return handed.Owner == owner ? handed.Value as T : null;
    }

    public void Dispose() => cache.Dispose();

    private static string CacheKey(string key) => $"prerender-handoff:{key}";

    private sealed record Handed(object Value, string Owner);
}
