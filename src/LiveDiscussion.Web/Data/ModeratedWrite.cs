using System.Security.Claims;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Moderation;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using LiveDiscussion.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Data;

/// <summary>
/// The one way the app writes what people see: every write path (replies, threads, moderation, settings, the group
/// commit, the WordPress importer) states its check and its change, and this does the rest in one order:
/// <list type="number">
/// <item>a fresh context;</item>
/// <item>who is asking (<see cref="WriteCheck"/>), read before any lock, so a refused request never waits for it;</item>
/// <item>a transaction. On SQLite, Microsoft.Data.Sqlite begins it IMMEDIATE, taking the file's write lock before the
/// change reads anything. On PostgreSQL the change first locks what it checks (<see cref="ModeratedChange.LockThreadAsync"/>,
/// <see cref="ModeratedChange.LockKeyAsync"/>, see <see cref="StoreLocks"/>). Either way what the change checks cannot
/// be changed by another writer (another node included) before it commits;</item>
/// <item>the change, which appends its thread events (each the thread's next seq) and audit entries as it goes;</item>
/// <item>SaveChanges and commit;</item>
/// <item>after the commit, and only then, the events go to viewers through <see cref="ThreadEventPublisher"/>, in seq
/// order, then the thread-list summaries and the moderation-queue ping the change asked for.</item>
/// </list>
/// A busy store, a deadlock, a raced unique key or a short outage runs the whole attempt again from a fresh context
/// (<see cref="StoreRetry"/>), so a change builds everything it writes inside its lambda, and only the successful
/// attempt's events are published.
/// </summary>
/// <remarks>
/// Rows a change inserts with its own prepared statements (the group commit's batch, <see cref="PreparedInsert{TEntity}"/>)
/// run inside this same transaction: <see cref="ModeratedChange.AppendRow"/> gives them their event rows to insert, and
/// their events are published here like any other.
/// </remarks>
public sealed class ModeratedWrite(
    IDbContextFactory<DiscussionDbContext> dbFactory, ThreadEventLog events, ThreadEventPublisher publisher, TimeProvider clock)
{
    /// <param name="check">Who may write; null for a write on nobody's behalf (the group commit checks each author in
    /// its transaction, the importer its admin once per file).</param>
    public async Task<T> RunAsync<T>(WriteCheck? check, Func<ModeratedChange, Task<T>> change, CancellationToken ct = default)
    {
        var (result, committed) = await StoreRetry.RunAsync(() => AttemptAsync(check, change, ct), clock, ct);
        await committed.PublishAsync(publisher);
        return result;
    }

    public Task RunAsync(WriteCheck? check, Func<ModeratedChange, Task> change, CancellationToken ct = default) =>
        RunAsync(check, async write =>
        {
            await change(write);
            return true;
        }, ct);

    private async Task<(T Result, ModeratedChange Committed)> AttemptAsync<T>(
        WriteCheck? check, Func<ModeratedChange, Task<T>> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // A failed save ends the attempt and rolls its whole transaction back: there is nothing for a savepoint to keep.
        db.Database.AutoSavepointsEnabled = false;
        var actor = check is null ? null : await check.RequireAsync(db, clock, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var write = new ModeratedChange(db, actor, events, clock);
        var result = await change(write);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (result, write);
    }
}

/// <summary>
/// Who may make a write, read from the database on the write's own context on every call, so a role taken away or a
/// suspension counts from the next action.
/// </summary>
public sealed record WriteCheck(ClaimsPrincipal User, string What, bool ModeratorsOnly, bool AdminsOnly = false)
{
    /// <summary>Signed in and not suspended; <paramref name="signInMessage"/> tells nobody what to do.</summary>
    public static WriteCheck SignedIn(ClaimsPrincipal user, string signInMessage) => new(user, signInMessage, false);

    /// <summary>A moderator: "Sign in to {what}." for nobody, "Only moderators can {what}." for anyone else.</summary>
    public static WriteCheck Moderator(ClaimsPrincipal user, string what) => new(user, what, true);

    /// <summary>An admin: "Sign in to {what}." for nobody, "Only admins can {what}." for anyone else.</summary>
    public static WriteCheck Admin(ClaimsPrincipal user, string what) => new(user, what, ModeratorsOnly: true, AdminsOnly: true);

    internal Task<Actor> RequireAsync(DiscussionDbContext db, TimeProvider clock, CancellationToken ct) =>
        AdminsOnly ? Actor.RequireAdminAsync(db, User, What, clock, ct)
        : ModeratorsOnly ? Actor.RequireModeratorAsync(db, User, What, clock, ct)
        : Actor.RequireAsync(db, User, What, clock, ct);
}

/// <summary>
/// What a change holds in its transaction: the context, the checked actor, and the record of what to tell viewers
/// after the commit.
/// </summary>
public sealed class ModeratedChange
{
    private readonly Actor? _actor;
    private readonly ThreadEventLog _events;
    private readonly TimeProvider _clock;
    private readonly List<ThreadEventDto> _appended = [];
    private readonly List<DiscussionThread> _listChanged = [];
    private bool _moderationQueueChanged;
    private readonly HashSet<string> _signInsChanged = [];
    private readonly HashSet<long> _lockedThreads = [];

    internal ModeratedChange(DiscussionDbContext db, Actor? actor, ThreadEventLog events, TimeProvider clock)
    {
        Db = db;
        _actor = actor;
        _events = events;
        _clock = clock;
    }

    public DiscussionDbContext Db { get; }

    /// <summary>The person the write's check let through.</summary>
    public Actor Actor => _actor ?? throw new InvalidOperationException("This write checked nobody, so it has no actor.");

    /// <summary>
    /// The threads, locked until this change commits and read as the last commit left them, in ascending id order;
    /// ids of no thread are left out. Call it first in a change that appends to these threads or checks their state,
    /// before anything else reads them (see <see cref="StoreLocks"/>).
    /// </summary>
    /// <param name="tracked">Whether SaveChanges writes changes to the rows back; the group commit writes its own.</param>
    public async Task<List<DiscussionThread>> LockThreadsAsync(IEnumerable<long> threadIds, bool tracked, CancellationToken ct = default)
    {
        var threads = await StoreLocks.ThreadsAsync(Db, threadIds, tracked, ct);
        _lockedThreads.UnionWith(threads.Select(thread => thread.Id));
        return threads;
    }

    /// <summary>One thread as <see cref="LockThreadsAsync"/> locks it, tracked; null when there is no such thread.</summary>
    public async Task<DiscussionThread?> LockThreadAsync(long threadId, CancellationToken ct = default) =>
        (await LockThreadsAsync([threadId], tracked: true, ct)).SingleOrDefault();

    /// <summary>
    /// The reply with its thread, tracked, after locking that thread (<see cref="LockThreadAsync"/>): a reply's thread
    /// never changes, so its id is read first on its own. Null when there is no such reply.
    /// </summary>
    public async Task<Reply?> LockReplyAsync(long replyId, CancellationToken ct = default)
    {
        var threadId = await Db.Replies.Where(r => r.Id == replyId).Select(r => (long?)r.ThreadId).SingleOrDefaultAsync(ct);
        if (threadId is not { } id)
        {
            return null;
        }

        await LockThreadAsync(id, ct);
        // The thread is tracked already, so Include hands back the locked row rather than reading it again.
        return await Db.Replies.Include(r => r.Thread).SingleOrDefaultAsync(r => r.Id == replyId, ct);
    }

    /// <summary>
    /// Serialises this change with every other change holding the same <paramref name="scope"/> and
    /// <paramref name="key"/>, on any node, until it commits: for checks with no row to lock. Take it before any thread.
    /// </summary>
    public Task LockKeyAsync(LockScope scope, string key = "", CancellationToken ct = default) =>
        StoreLocks.KeyAsync(Db, scope, key, ct);

    /// <summary>Records a change to <paramref name="thread"/> as its next event, stored with the change and published after it.</summary>
    public ThreadEventDto Append(
        DiscussionThread thread, string type, ReplyDto? reply = null, string? reason = null, string? actor = null,
        SlowModeSetting? slowMode = null)
    {
        RequireLocked(thread);
        var appended = _events.Append(Db, thread, type, reply, reason, actor, slowMode);
        _appended.Add(appended);
        return appended;
    }

    /// <summary>
    /// As <see cref="Append"/>, for a writer that inserts the event row itself with a prepared statement in this
    /// transaction; the thread's new seq must be stored in it too.
    /// </summary>
    public ThreadEvent AppendRow(DiscussionThread thread, string type, ReplyDto? reply = null)
    {
        RequireLocked(thread);
        var (appended, row) = _events.Next(thread, type, reply);
        _appended.Add(appended);
        return row;
    }

    // Checked on SQLite too, where the file lock makes it unnecessary, so that the SQLite suite finds a change that
    // would append without the thread lock on PostgreSQL.
    private void RequireLocked(DiscussionThread thread)
    {
        if (!_lockedThreads.Contains(thread.Id))
        {
            throw new InvalidOperationException(
                $"Thread {thread.Id} gets an event without being locked in this change: lock it first (LockThreadAsync).");
        }
    }

    /// <summary>One audit entry by the checked moderator, at <paramref name="at"/> (the event's time) or now.</summary>
    public void Audit(
        string action, DateTimeOffset? at = null, long? threadId = null, long? replyId = null, string? targetUserId = null,
        string? reason = null) =>
        AuditEntry.Record(Db, Actor, action, at ?? _clock.GetUtcNow(), threadId, replyId, targetUserId, reason);

    /// <summary>The held replies or the recent decisions changed: moderation pages hear it after the commit.</summary>
    public void ModerationQueueChanged() => _moderationQueueChanged = true;

    /// <summary>
    /// What this person may do changed (a role, a suspension): after the commit, their open pages on every node check
    /// their sign-in again at once, instead of at their next periodic check.
    /// </summary>
    public void SignInChanged(string userId) => _signInsChanged.Add(userId);

    /// <summary>
    /// The thread is new or its summary changed without an event (an event asks for its own summary): list watchers
    /// hear it after the commit, when a new thread has its id.
    /// </summary>
    public void ListChanged(DiscussionThread thread) => _listChanged.Add(thread);

    internal async Task PublishAsync(ThreadEventPublisher publisher)
    {
        foreach (var appended in _appended)
        {
            await publisher.PublishAsync(appended);
        }

        foreach (var thread in _listChanged.Where(t => _appended.All(e => e.ThreadId != t.Id)))
        {
            publisher.RequestListChange(thread.Id);
        }

        if (_moderationQueueChanged)
        {
            await publisher.PublishModerationQueueChangedAsync();
        }

        foreach (var userId in _signInsChanged)
        {
            await publisher.PublishSignInChangedAsync(userId);
        }
    }
}
