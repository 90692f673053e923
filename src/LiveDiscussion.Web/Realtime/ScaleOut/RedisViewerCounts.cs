using System.Globalization;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace LiveDiscussion.Web.Realtime.ScaleOut;

/// <summary>
/// Each node's count of a thread's viewers, in one Redis hash per thread: field = node, value = "count:expiresAtMs".
/// A node re-asserts its counts every <see cref="PresenceTracker.RefreshInterval"/>; a count not re-asserted within
/// <see cref="Expiry"/> belongs to a node that died, and is dropped by whichever node notices first.
/// </summary>
public sealed class RedisViewerCounts(IConnectionMultiplexer redis, NodeIdentity node, TimeProvider clock) : IViewerCounts
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan KeyLifetime = TimeSpan.FromMinutes(2);

    public async Task<int> ReportAsync(long threadId, int localCount)
    {
        await AssertAsync(threadId, localCount);
        return await TotalAsync(threadId);
    }

    public async Task<IReadOnlyList<(long ThreadId, int Total)>> RefreshAsync(IReadOnlyDictionary<long, int> localCounts)
    {
        var totals = new List<(long, int)>(localCounts.Count);
        foreach (var (threadId, count) in localCounts)
        {
            await AssertAsync(threadId, count);
            totals.Add((threadId, await TotalAsync(threadId)));
        }

        return totals;
    }

    private Task AssertAsync(long threadId, int localCount)
    {
        var db = Database;
        var key = Key(threadId);
        if (localCount == 0)
        {
            return db.HashDeleteAsync(key, node.Id);
        }

        var expiresAt = (clock.GetUtcNow() + Expiry).ToUnixTimeMilliseconds();
        return Task.WhenAll(
            db.HashSetAsync(key, node.Id, $"{localCount}:{expiresAt}"),
            db.KeyExpireAsync(key, KeyLifetime));
    }

    private async Task<int> TotalAsync(long threadId)
    {
        var db = Database;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var total = 0;
        var expired = new List<RedisValue>();
        foreach (var entry in await db.HashGetAllAsync(Key(threadId)))
        {
            var parts = ((string?)entry.Value ?? "").Split(':');
            if (parts.Length == 2
                && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var count)
                && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var expiresAt)
                && expiresAt > now)
            {
                total += count;
            }
            else
            {
                expired.Add(entry.Name);
            }
        }

        if (expired.Count > 0)
        {
            await db.HashDeleteAsync(Key(threadId), [.. expired]);
        }

        return total;
    }

    private IDatabase Database => redis.GetDatabase().WithKeyPrefix(ScaleOutExtensions.Prefix);

    private static RedisKey Key(long threadId) => $"viewers:{threadId}";
}
