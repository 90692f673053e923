using System.Threading.Channels;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Moderation;
using LiveDiscussion.Web.Features.Spam;
using LiveDiscussion.Web.Features.Threads;
using LiveDiscussion.Web.Infrastructure;
using LiveDiscussion.Web.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace LiveDiscussion.Web.Features.Replies;

/// <summary>
/// A new reply whose text is already checked and rendered, from a signed-in account, waiting for its place in a
/// transaction (where its author's standing is read). It is rendered before it queues, on the poster's thread, because
/// the writer is one thread holding SQLite's write lock.
/// </summary>
public sealed record QueuedReply(
    string AuthorId, long ThreadId, long? ParentReplyId, string Body, string BodyHtml, string? ClientRequestId,
    bool ToModerators)
{
    /// <summary>The links a reader could follow, counted here rather than under the writer's lock.</summary>
    public int LinkCount { get; } = SpamText.CountLinks(BodyHtml);

    /// <summary>The body's repeat hash (<see cref="SpamText.RepeatHash"/>), worked out before the reply queues.</summary>
    public long? BodyHash { get; } = SpamText.RepeatHash(Body, BodyHtml);

    internal TaskCompletionSource<ReplyDto> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Group commit for new replies. SQLite lets one writer in at a time and makes every commit durable with its own sync
/// to disk, so replies posted at the same moment are written together: whoever arrives while a transaction is being
/// written waits for the next one, which takes everyone waiting (up to <see cref="MaxBatch"/>). Each reply is still
/// durable, and its events sent, before its poster hears back; and each is judged on its own, so a refused reply
/// (closed thread, a parent that is gone) fails alone while the others in its transaction are stored.
/// </summary>
public sealed class ReplyGroupCommit : IAsyncDisposable
{
    public const int MaxBatch = 256;

    public const string SignInToReply = "Sign in to reply.";

    private readonly ModeratedWrite _write;
    private readonly BodyRenderer _renderer;
    private readonly TimeProvider _clock;
    private readonly ILogger<ReplyGroupCommit> _logger;
    private readonly HoldRules _holds;
    private readonly Channel<QueuedReply> _queue =
        Channel.CreateUnbounded<QueuedReply>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public ReplyGroupCommit(
        IDbContextFactory<DiscussionDbContext> dbFactory, BodyRenderer renderer, ThreadEventLog events,
        ThreadEventPublisher publisher, TimeProvider clock, ILogger<ReplyGroupCommit> logger, HoldRules holds)
    {
        // The batch is one moderated write: its own prepared statements run inside the helper's transaction and retry,
        // and the helper publishes its events after the commit, before the posters hear back.
        _write = new ModeratedWrite(dbFactory, events, publisher, clock);
        _renderer = renderer;
        _clock = clock;
        _logger = logger;
        _holds = holds;
        _writer = Task.Run(WriteAllAsync);
    }

    /// <summary>
    /// The reply as stored, once its transaction committed and its event went out. A poster who stops waiting
    /// (<paramref name="ct"/>) does not take the reply back: it may still be stored, and its clientRequestId finds it.
    /// </summary>
    public Task<ReplyDto> WriteAsync(QueuedReply reply, CancellationToken ct)
    {
        if (!_queue.Writer.TryWrite(reply))
        {
            throw DiscussionProblem.Unavailable("The server is shutting down; your reply was not stored. Send it again.");
        }

        return reply.Outcome.Task.WaitAsync(ct);
    }

    private async Task WriteAllAsync()
    {
        var batch = new List<QueuedReply>(MaxBatch);
        var previousBatchSize = 0;
        while (await _queue.Reader.WaitToReadAsync())
        {
            // While replies come together (the last transaction took several), the writer lets the requests already
            // queued to run go first, so their replies join this transaction instead of each waiting for the next (on
            // a busy core, a batch of one followed by a batch of the rest). A reply that comes alone is written at
            // once: on a core busy sending the previous reply to its watchers, that yield would put it behind all of
            // those sends a second time.
            if (previousBatchSize > 1)
            {
                await Task.Yield();
            }

            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await WriteBatchAsync(batch);
            previousBatchSize = batch.Count;
            batch.Clear();
        }
    }

    private async Task WriteBatchAsync(IReadOnlyList<QueuedReply> batch)
    {
        Written written;
        try
        {
            written = await _write.RunAsync(check: null, change => WriteOnceAsync(change, batch), CancellationToken.None);
        }
        catch (DiscussionProblem unavailable) when (unavailable.Kind == ProblemKind.Unavailable)
        {
            // The store does not answer: no reply of the batch can be written now, alone or together.
            foreach (var reply in batch)
            {
                reply.Outcome.TrySetException(unavailable);
            }

            return;
        }
        catch (Exception exception) when (batch.Count > 1)
        {
            // The transaction itself failed, not a check of one reply: each is written alone, so a reply that breaks
            // the write fails only its own poster's request.
            _logger.LogWarning(exception, "A group commit of {Count} replies failed; writing them one by one", batch.Count);
            foreach (var reply in batch)
            {
                await WriteBatchAsync([reply]);
            }

            return;
        }
        catch (Exception exception)
        {
            batch[0].Outcome.TrySetException(exception);
            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (written.Errors[i] is { } error)
            {
                batch[i].Outcome.TrySetException(error);
            }
            else
            {
                batch[i].Outcome.TrySetResult(written.Replies[i]!);
            }
        }
    }

    private Statements? _statements;

    /// <summary>The writer's statements, built once from the model: a batch's rows bypass SaveChanges.</summary>
    private sealed class Statements(IModel model)
    {
        public PreparedInsert<Reply> Replies { get; } = new(model);
        public PreparedInsert<ThreadEvent> Events { get; } = new(model);
        public PreparedUpdate<DiscussionThread> ThreadProgress { get; } =
            new(model, nameof(DiscussionThread.LatestSeq), nameof(DiscussionThread.LastActivityAt));
        public ClientRequestIdProbe.Statement RequestIdProbe { get; } = ClientRequestIdProbe.StatementFor(model);
    }

    private sealed record Written(ReplyDto?[] Replies, Exception?[] Errors);

    /// <remarks>
    /// Every thread of the batch is locked before anything else is read (<see cref="ModeratedChange.LockThreadsAsync"/>;
    /// on SQLite the transaction's write lock), so a close that commits first is seen here and one that comes later waits
    /// for these replies: a reply never lands after a close, and the threads' next seqs are this batch's alone.
    /// </remarks>
    private async Task<Written> WriteOnceAsync(ModeratedChange change, IReadOnlyList<QueuedReply> batch)
    {
        var replies = new ReplyDto?[batch.Count];
        var errors = new Exception?[batch.Count];
        var rows = new Reply?[batch.Count];
        var sameAs = new int?[batch.Count];
        var firstByRequestId = new Dictionary<(string, string), int>();
        var stagedInSlowMode = new Dictionary<(long ThreadId, string AuthorId), DateTimeOffset>();

        var db = change.Db;
        // Untracked: the batch's threads are written back by ThreadProgress.
        var threads = (await change.LockThreadsAsync(batch.Select(reply => reply.ThreadId), tracked: false))
            .ToDictionary(thread => thread.Id);
        var now = _clock.GetUtcNow();
        var actors = await Actor.FindAllAsync(db, batch.Select(reply => reply.AuthorId).ToHashSet(), CancellationToken.None);
        var statements = _statements ??= new Statements(db.Model);
        var asked = batch.Where(reply => reply.ClientRequestId is not null)
            .Select(reply => (reply.AuthorId, reply.ClientRequestId!)).Distinct().ToList();
        await using var requestIds = await ClientRequestIdProbe.PrepareAsync(db, statements.RequestIdProbe, asked, CancellationToken.None);
        for (var i = 0; i < batch.Count; i++)
        {
            var queued = batch[i];
            if (queued.ClientRequestId is { } requestId)
            {
                if (firstByRequestId.TryGetValue((queued.AuthorId, requestId), out var first))
                {
                    sameAs[i] = first;
                    continue;
                }

                firstByRequestId[(queued.AuthorId, requestId)] = i;
            }

            try
            {
                var author = Actor.RequireActive(actors.GetValueOrDefault(queued.AuthorId), SignInToReply, _clock);
                var (earlier, row) = await StageAsync(db, threads, stagedInSlowMode, requestIds, queued, author, now, rows);
                replies[i] = earlier;
                rows[i] = row;
            }
            catch (DiscussionProblem problem)
            {
                errors[i] = problem;
            }
        }

        await statements.Replies.InsertAllAsync(db, [.. rows.OfType<Reply>()]);

        var eventRows = new List<ThreadEvent>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (rows[i] is not { } row)
            {
                continue;
            }

            var thread = row.Thread!;
            if (row.State == ReplyState.Pending)
            {
                // Nobody else learns of it until a moderator approves it: no event, no activity.
                replies[i] = row.ToDto(thread, _renderer, actors[batch[i].AuthorId]);
                change.ModerationQueueChanged();
                continue;
            }

            replies[i] = row.ToDto(thread, _renderer);
            eventRows.Add(change.AppendRow(thread, ThreadEventTypes.ReplyPosted, replies[i]));
        }

        await statements.Events.InsertAllAsync(db, eventRows);
        await statements.ThreadProgress.UpdateAllAsync(db, threads.Values);

        for (var i = 0; i < batch.Count; i++)
        {
            if (sameAs[i] is { } first)
            {
                replies[i] = replies[first];
                errors[i] = errors[first];
            }
        }

        return new Written(replies, errors);
    }

    /// <summary>
    /// Checks one reply against the stored thread and adds its row; or finds the reply an earlier request with the same
    /// clientRequestId already stored, and adds nothing.
    /// </summary>
    private async Task<(ReplyDto? Earlier, Reply? Row)> StageAsync(
        DiscussionDbContext db, Dictionary<long, DiscussionThread> threads,
        Dictionary<(long ThreadId, string AuthorId), DateTimeOffset> stagedInSlowMode, ClientRequestIdProbe requestIds,
        QueuedReply queued, Actor author, DateTimeOffset now, IReadOnlyList<Reply?> stagedBefore)
    {
        var thread = threads.GetValueOrDefault(queued.ThreadId) ?? throw ThreadProblems.NotFound();
        if (queued.ClientRequestId is { } clientRequestId
            && await requestIds.IsUsedAsync(author.UserId, clientRequestId, CancellationToken.None))
        {
            var earlier = (await EarlierReplyOf(db, author.UserId, clientRequestId))!;
            return earlier.ThreadId == thread.Id
                ? (earlier.ToDto(thread, _renderer), null)
                : throw DiscussionProblem.Invalid("clientRequestId",
                    "This clientRequestId was already used for a reply in another thread.");
        }

        if (thread.State == ThreadState.Closed && !queued.ToModerators)
        {
            throw ThreadProblems.Closed(thread.CloseReason);
        }

        if (queued.ParentReplyId is { } parentId)
        {
            var parentState = await StateOfReplyIn(db, parentId, thread.Id);
            if (parentState is null or ReplyState.Pending or ReplyState.Rejected)
            {
                throw DiscussionProblem.Invalid("parentReplyId", "The reply you are answering is not in this thread.");
            }

            if (parentState == ReplyState.Deleted)
            {
                throw DiscussionProblem.Invalid("parentReplyId", "The reply you are answering was deleted.");
            }
        }

        await CheckSlowModeAsync(db, stagedInSlowMode, thread, author, now);
        // Whether it must wait for a moderator is read under this transaction's write lock, with this batch's replies
        // staged before it, which are not in the table yet.
        var heldReason = queued.ToModerators
            ? HoldReasons.SentToModerators
            : await _holds.HoldReasonAsync(
                db, author, thread, queued.Body, queued.LinkCount, queued.BodyHash, now, stagedBefore.OfType<Reply>());
        var held = heldReason is not null;
        var reply = new Reply
        {
            ThreadId = thread.Id,
            Thread = thread,
            ParentReplyId = queued.ParentReplyId,
            AuthorId = author.UserId,
            AuthorName = author.DisplayName,
            Body = queued.Body,
            BodyFormat = BodyFormat.Markdown,
            BodyHtml = queued.BodyHtml,
            BodyHtmlRules = BodyRenderer.RulesVersion,
            CreatedAt = now,
            State = held ? ReplyState.Pending : ReplyState.Visible,
            HeldReason = heldReason,
            BodyHash = queued.BodyHash,
            ClientRequestId = queued.ClientRequestId,
        };
        if (!held)
        {
            thread.LastActivityAt = now;
        }

        return (null, reply);
    }

    /// <summary>
    /// In slow mode a person's reply must come at least the thread's seconds after their previous one there (a reply
    /// earlier in this batch included). Checked here, under the write lock, against what is stored: it holds across
    /// nodes and restarts, and a burst sent at once cannot slip through together. Moderators are not slowed.
    /// </summary>
    private static async Task CheckSlowModeAsync(
        DiscussionDbContext db, Dictionary<(long ThreadId, string AuthorId), DateTimeOffset> stagedInSlowMode,
        DiscussionThread thread, Actor author, DateTimeOffset now)
    {
        var seconds = SlowMode.SecondsAt(thread.SlowModeSeconds, thread.SlowModeUntil, now);
        if (seconds == 0 || author.IsModerator)
        {
            return;
        }

        var key = (thread.Id, author.UserId);
        var previous = stagedInSlowMode.TryGetValue(key, out var staged) ? staged : await LastReplyAt(db, thread.Id, author.UserId);
        var pace = TimeSpan.FromSeconds(seconds);
        if (previous is { } at && now - at < pace)
        {
            throw DiscussionProblem.TooManyRequests($"This thread is in slow mode: {SlowMode.Pace(seconds)}.", at + pace - now);
        }

        stagedInSlowMode[key] = now;
    }

    // Compiled once: built per reply, these LINQ queries cost more CPU in the writer than the inserts they guard.
    private static readonly Func<DiscussionDbContext, string, string, Task<Reply?>> EarlierReplyOf = CompiledPerModel.Query(
        (DiscussionDbContext db, string authorId, string clientRequestId) => db.Replies.AsNoTracking()
            .SingleOrDefault(r => r.AuthorId == authorId && r.ClientRequestId == clientRequestId));

    private static readonly Func<DiscussionDbContext, long, long, Task<ReplyState?>> StateOfReplyIn = CompiledPerModel.Query(
        (DiscussionDbContext db, long replyId, long threadId) => db.Replies
            .Where(r => r.Id == replyId && r.ThreadId == threadId).Select(r => (ReplyState?)r.State).SingleOrDefault());

    private static readonly Func<DiscussionDbContext, long, string, Task<DateTimeOffset?>> LastReplyAt = CompiledPerModel.Query(
        (DiscussionDbContext db, long threadId, string authorId) => db.Replies
            .Where(r => r.ThreadId == threadId && r.AuthorId == authorId)
            .OrderByDescending(r => r.CreatedAt)
            .Select(r => (DateTimeOffset?)r.CreatedAt)
            .FirstOrDefault());

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }
}
