using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Moderation;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using LiveDiscussion.Web.Infrastructure;
using LiveDiscussion.Web.Realtime;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveDiscussion.Tests.Replies;

/// <summary>
/// The group commit's batching, with a fake clock that moves a millisecond each time it is read: a transaction reads the
/// time once for all its replies, so replies stored together share their time, and the contexts the writer makes count
/// its transactions. The writer under test is made here with fakes around it; it writes into the database of the
/// class's app, whose EF Core model the writer's compiled queries share with every app of the test run (a model built
/// apart would be refused by them). The test holds SQLite's write lock while replies queue, as a transaction being
/// written holds it.
/// </summary>
public sealed class ReplyGroupCommitTests(EmptyApp app) : IClassFixture<EmptyApp>, IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new() { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
    private readonly string _authorId = $"julia-{Guid.NewGuid():N}";
    private WriterContexts _writerContexts = default!;
    private ReplyGroupCommit _writer = default!;
    private long _threadId;

    public async Task InitializeAsync()
    {
        var contexts = app.Service<IDbContextFactory<DiscussionDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.Users.Add(new AppUser { Id = _authorId, UserName = $"{_authorId}@test.example", DisplayName = "Julia" });
            var thread = new DiscussionThread
            {
                Title = "Busy", Slug = "busy", Body = "Everyone at once.", AuthorName = "Julia",
                CreatedAt = _clock.GetUtcNow(), LastActivityAt = _clock.GetUtcNow(),
            };
            db.Threads.Add(thread);
            await db.SaveChangesAsync();
            _threadId = thread.Id;
        }

        var renderer = new BodyRenderer();
        var publisher = new ThreadEventPublisher(
            new RecordingBus(), contexts, _clock,
            NullLogger<ThreadEventPublisher>.Instance);
        _writerContexts = new WriterContexts(contexts);
        _writer = new ReplyGroupCommit(_writerContexts, renderer, new ThreadEventLog(contexts, renderer, _clock, OneNode.Dispatcher()), publisher, _clock,
            NullLogger<ReplyGroupCommit>.Instance, new HoldRules(app.Service<NewMembers>()));
    }

    public async Task DisposeAsync() => await _writer.DisposeAsync();

    [Fact]
    public async Task Replies_that_queue_while_a_transaction_is_written_are_stored_together_in_the_next_one()
    {
        var (first, queued) = await WhileTheWriteLockIsHeldAsync(10);

        var firstReply = await first;
        var together = await Task.WhenAll(queued);

        Assert.Equal(2, _writerContexts.Made);
        Assert.Single(together.Select(reply => reply.CreatedAt).Distinct());
        Assert.NotEqual(firstReply.CreatedAt, together[0].CreatedAt);
        Assert.Equal(11, together.Append(firstReply).Select(reply => reply.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_transaction_takes_at_most_256_replies_and_the_rest_wait_for_the_next()
    {
        var (first, queued) = await WhileTheWriteLockIsHeldAsync(300);

        await first;
        var stored = await Task.WhenAll(queued);

        // The first reply's, then a full one, then the rest.
        Assert.Equal(3, _writerContexts.Made);
        Assert.Equal([ReplyGroupCommit.MaxBatch, 300 - ReplyGroupCommit.MaxBatch],
            stored.GroupBy(reply => reply.CreatedAt).OrderBy(batch => batch.Key).Select(batch => batch.Count()));
    }

    [Fact]
    public async Task A_refused_reply_fails_alone_and_the_others_of_its_transaction_are_stored()
    {
        var (first, queued) = await WhileTheWriteLockIsHeldAsync(5, parentOfThird: 987_654);

        await first;
        var refusal = await Assert.ThrowsAsync<DiscussionProblem>(() => queued[2]);
        var stored = await Task.WhenAll(queued.Where((_, index) => index != 2));

        Assert.Equal("The reply you are answering is not in this thread.", refusal.Message);
        Assert.Equal(2, _writerContexts.Made);
        Assert.Single(stored.Select(reply => reply.CreatedAt).Distinct());
    }

    /// <summary>
    /// Holds SQLite's write lock, sends one reply and waits until the writer took it and is waiting for the lock, then
    /// sends <paramref name="count"/> more, and lets go of the lock.
    /// </summary>
    private async Task<(Task<ReplyDto> First, Task<ReplyDto>[] Queued)> WhileTheWriteLockIsHeldAsync(int count, long? parentOfThird = null)
    {
        await using var holder = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await holder.OpenAsync();
        await using var holding = holder.BeginTransaction(deferred: false);

        var first = _writer.WriteAsync(Reply("The first"), CancellationToken.None);
        await _writerContexts.FirstMade;
        var queued = Enumerable.Range(0, count)
            .Select(i => _writer.WriteAsync(Reply($"Queued {i}", i == 2 ? parentOfThird : null), CancellationToken.None))
            .ToArray();

        await holding.RollbackAsync();
        return (first, queued);
    }

    private QueuedReply Reply(string body, long? parentReplyId = null) =>
        new(_authorId, _threadId, parentReplyId, body, $"<p>{body}</p>", ClientRequestId: null, ToModerators: false);

    /// <summary>The writer's contexts: it makes one for each transaction it writes.</summary>
    private sealed class WriterContexts(IDbContextFactory<DiscussionDbContext> contexts) : IDbContextFactory<DiscussionDbContext>
    {
        private readonly TaskCompletionSource _firstMade = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _made;

        public int Made => Volatile.Read(ref _made);

        public Task FirstMade => _firstMade.Task;

        public DiscussionDbContext CreateDbContext()
        {
            Interlocked.Increment(ref _made);
            _firstMade.TrySetResult();
            return contexts.CreateDbContext();
        }

        public Task<DiscussionDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(CreateDbContext());
    }
}
