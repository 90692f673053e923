using LiveDiscussion.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LiveDiscussion.Web.Data;

/// <summary>
/// Runs a write transaction again, whole, from the start (a fresh context, fresh reads, never resumed halfway), when the
/// store turned it away for a reason that passes:
/// <list type="bullet">
/// <item>SQLite: another writer (of this node or another process) held the file past the busy timeout (SQLITE_BUSY,
/// SQLITE_LOCKED);</item>
/// <item>PostgreSQL: a serialization failure (40001) or a deadlock (40P01), or a unique index that two nodes raced
/// for (23505 on one of <see cref="RacedUniqueIndexes"/>: the retry reads what the other node stored);</item>
/// <item>PostgreSQL outage: the server restarting, a broken connection, a timeout. It is waited out for
/// <see cref="OutageWait"/>; after that the request is answered "unavailable" (503 with Retry-After).</item>
/// </list>
/// The person never sees "database is locked" or a deadlock; a retry that still fails is answered 503 with
/// Retry-After, never 500.
/// </summary>
/// <remarks>
/// A commit whose connection dropped during COMMIT may have been stored: its retry then finds a clientRequestId it
/// stored (a reply sent without one may be stored twice). No acknowledged write is ever lost.
/// </remarks>
public static class StoreRetry
{
    public const int MaxAttempts = 6;

    /// <summary>How long a write waits for a store that does not answer before it is refused as unavailable.</summary>
    public static readonly TimeSpan OutageWait = TimeSpan.FromSeconds(3);

    /// <summary>What an unavailable answer asks the client to wait (Retry-After).</summary>
    public static readonly TimeSpan OutageRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>What a write that met other writers on every attempt asks the client to wait.</summary>
    public static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Unique indexes two nodes can both try to fill with the same key at once, each having read that it was free; the
    /// retry then sees the other's row and answers as the code does for a key already taken.
    /// </summary>
    public static readonly IReadOnlySet<string> RacedUniqueIndexes = new HashSet<string>(StringComparer.Ordinal)
    {
        "IX_Replies_AuthorId_ClientRequestId",
        "IX_Replies_SourceKey",
        "IX_Threads_SourceKey",
        "IX_ThreadLinks_SourceKey",
        "IX_ThreadLabels_ThreadId_Kind_Name",
        "IX_ThreadEvents_ThreadId_Seq",
        "PK_SiteSettings",
        "RoleNameIndex",
    };

    private enum Refusal
    {
        None,
        Busy,
        Outage,
    }

    public static async Task<T> RunAsync<T>(Func<Task<T>> transaction, TimeProvider clock, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction();
            }
            catch (Exception exception) when (RefusalOf(exception) == Refusal.Busy)
            {
                if (attempt >= MaxAttempts)
                {
                    throw DiscussionProblem.Unavailable(
                        "The database is busy with other writes right now; nothing was changed.", BusyRetryAfter, exception);
                }

                // Spread the retries out so writers that collided do not collide again in step.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt * attempt), clock, ct);
            }
            catch (Exception exception) when (RefusalOf(exception) == Refusal.Outage)
            {
                var waited = clock.GetElapsedTime(started);
                if (waited >= OutageWait)
                {
                    throw Unavailable(exception);
                }

                var pause = TimeSpan.FromMilliseconds(Math.Min(100 * attempt, 500));
                await Task.Delay(pause < OutageWait - waited ? pause : OutageWait - waited, clock, ct);
            }
        }
    }

    public static Task RunAsync(Func<Task> transaction, TimeProvider clock, CancellationToken ct) =>
        RunAsync(async () =>
        {
            await transaction();
            return true;
        }, clock, ct);

    /// <summary>The answer to a request whose store does not answer (503 with Retry-After).</summary>
    public static DiscussionProblem Unavailable(Exception cause) =>
        DiscussionProblem.Unavailable("The discussion's database cannot be reached right now.", OutageRetryAfter, cause);

    /// <summary>SQLite's file was held by another writer past the busy timeout.</summary>
    public static bool IsBusy(Exception exception) => RefusalOf(exception) == Refusal.Busy;

    /// <summary>The PostgreSQL server is down, restarting or unreachable, or the connection to it broke.</summary>
    public static bool IsOutage(Exception exception) => RefusalOf(exception) == Refusal.Outage;

    private static Refusal RefusalOf(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED } => Refusal.Busy,
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected } =>
            Refusal.Busy,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: { } index }
            when RacedUniqueIndexes.Contains(index) => Refusal.Busy,
        PostgresException { SqlState: var state } => state.StartsWith("08", StringComparison.Ordinal)
            || state is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections
            ? Refusal.Outage
            : Refusal.None,
        // Not a server's answer: the socket, a timeout, a connection that broke.
        NpgsqlException { IsTransient: true } => Refusal.Outage,
        { InnerException: { } inner } => RefusalOf(inner),
        _ => Refusal.None,
    };
}
