using Microsoft.Data.Sqlite;

namespace LiveDiscussion.Web.Data;

/// <summary>
/// SQLite lets one writer at a time into the file, across every process (node) using it. A writer that could not get
/// in before the busy timeout ran out gets SQLITE_BUSY; the whole transaction is then run again from the start (a fresh
/// context, fresh reads), never resumed halfway, and the person never sees "database is locked".
/// </summary>
public static class SqliteBusyRetry
{
    public const int MaxAttempts = 6;

    public static async Task<T> RunAsync<T>(Func<Task<T>> transaction, TimeProvider clock, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction();
            }
            catch (Exception exception) when (IsBusy(exception) && attempt < MaxAttempts)
            {
                // Spread the retries out so writers that collided do not collide again in step.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt * attempt), clock, ct);
            }
        }
    }

    public static Task RunAsync(Func<Task> transaction, TimeProvider clock, CancellationToken ct) =>
        RunAsync(async () =>
        {
            await transaction();
            return true;
        }, clock, ct);

    public static bool IsBusy(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED } => true,
        { InnerException: { } inner } => IsBusy(inner),
        _ => false,
    };
}
