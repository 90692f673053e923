using LiveDiscussion.Web.Features.Threads;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Data;

/// <summary>What a transaction-scoped advisory lock guards where there is no row to lock.</summary>
public enum LockScope
{
    /// <summary>Creating the roles and the configured admin at start: nodes starting together take turns.</summary>
    AccountSeeding = 1,

    /// <summary>One imported post, keyed by its source key: two imports of the same file take turns per post.</summary>
    Import = 2,

    /// <summary>Role and rank changes site-wide (the last admin, who may act against whom).</summary>
    Staff = 3,

    /// <summary>The site settings row: its first insert, by two moderators on two nodes at once.</summary>
    SiteSettings = 4,
}

/// <summary>
/// The locks a write takes in its transaction before it reads what it checks, so that what it checked still holds when
/// it commits, whichever node is writing.
/// </summary>
/// <remarks>
/// On SQLite the transaction begins IMMEDIATE and so already holds the one write lock of the whole file: a thread is
/// simply read and an advisory lock is nothing. On PostgreSQL (READ COMMITTED) a thread is read with
/// <c>SELECT … FOR NO KEY UPDATE</c>: it waits for any other writer of the thread to commit, then returns the row as
/// that commit left it, and holds it until this transaction ends. It does not block foreign-key checks of rows that
/// point at the thread (new replies, events). Threads are always locked in ascending id order, in one statement, and
/// before anything else a change locks (reply or user rows), so two writers never wait for each other in a circle.
/// </remarks>
public static class StoreLocks
{
    /// <summary>
    /// Locks the threads for the rest of the transaction and reads them, in ascending id order; an id that is not a
    /// thread is left out. <paramref name="tracked"/>: the rows are tracked for SaveChanges. Call it before anything
    /// else in the change reads these threads: a row the context already tracks is not read again.
    /// </summary>
    public static async Task<List<DiscussionThread>> ThreadsAsync(
        DiscussionDbContext db, IEnumerable<long> threadIds, bool tracked, CancellationToken ct)
    {
        RequireTransaction(db);
        var ids = threadIds.Distinct().Order().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        if (db is PostgresDiscussionDbContext)
        {
            // Not composed (no Where, no Include after it): EF Core would wrap it in a subquery.
            var locking = db.Threads.FromSql(
                $"""SELECT * FROM "Threads" WHERE "Id" = ANY({ids}) ORDER BY "Id" FOR NO KEY UPDATE""");
            return await (tracked ? locking : locking.AsNoTracking()).ToListAsync(ct);
        }

        var threads = new List<DiscussionThread>(ids.Length);
        foreach (var id in ids)
        {
            if (await (tracked ? TrackedThreadById : ThreadById)(db, id, ct) is { } thread)
            {
                threads.Add(thread);
            }
        }

        return threads;
    }

    /// <summary>
    /// Waits until no other transaction holds <paramref name="scope"/> and <paramref name="key"/>, then holds them until
    /// this one ends (PostgreSQL's <c>pg_advisory_xact_lock</c>). Take it before any thread lock.
    /// </summary>
    public static async Task KeyAsync(DiscussionDbContext db, LockScope scope, string key, CancellationToken ct)
    {
        RequireTransaction(db);
        if (db is PostgresDiscussionDbContext)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({(int)scope}, hashtext({key}))", ct);
        }
    }

    private static void RequireTransaction(DiscussionDbContext db)
    {
        if (db.Database.CurrentTransaction is null)
        {
            // Outside a transaction the lock would end with the statement that took it.
            throw new InvalidOperationException("Take the store's locks inside the write's transaction.");
        }
    }

    // Compiled: the reply writer reads its batch's threads on every transaction.
    private static readonly Func<DiscussionDbContext, long, CancellationToken, Task<DiscussionThread?>> ThreadById =
        CompiledPerModel.Query((DiscussionDbContext db, long threadId, CancellationToken ct) =>
            db.Threads.AsNoTracking().SingleOrDefault(t => t.Id == threadId));

    private static readonly Func<DiscussionDbContext, long, CancellationToken, Task<DiscussionThread?>> TrackedThreadById =
        CompiledPerModel.Query((DiscussionDbContext db, long threadId, CancellationToken ct) =>
            db.Threads.SingleOrDefault(t => t.Id == threadId));
}
