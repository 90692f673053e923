using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Tests.Replies;

/// <summary>
/// The group-commit writer stores replies and events with <see cref="PreparedInsert{TEntity}"/>, and moves its threads'
/// seq with <see cref="PreparedUpdate{TEntity}"/>, instead of SaveChanges, so a row it writes must read back through EF
/// Core exactly as EF Core would have stored it: every column, with the model's conversions (enums as text, times as UTC
/// ticks), and the generated key set on the entity; on either store.
/// </summary>
public abstract class PreparedInsertChecks(TestApp app)
{
    [Fact]
    public async Task Rows_read_back_through_ef_core_with_every_column_and_their_generated_keys()
    {
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync();
        var parent = await admin.ReplyAsync(thread.Id, "The parent");
        var factory = app.Service<IDbContextFactory<DiscussionDbContext>>();
        var createdAt = new DateTimeOffset(2026, 11, 27, 9, 30, 15, TimeSpan.FromHours(2)).AddTicks(1234);
        var written = new[]
        {
            new Reply
            {
                ThreadId = thread.Id, ParentReplyId = parent.Id, AuthorId = null, AuthorName = "Louise",
                AuthorExternalKey = "wp:7", Body = "<p>Imported</p>", BodyFormat = BodyFormat.Html, CreatedAt = createdAt,
                EditedAt = createdAt.AddMinutes(5), State = ReplyState.Hidden, HiddenReason = "Off topic",
                ClientRequestId = "req-1", SourceKey = "site:7", AuthorEmail = "louise@test.example", AuthorIp = "192.0.2.7",
            },
            new Reply { ThreadId = thread.Id, AuthorName = "Julia", Body = "Plain", CreatedAt = createdAt, State = ReplyState.Visible },
        };

        await using (var db = await factory.CreateDbContextAsync())
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await new PreparedInsert<Reply>(db.Model).InsertAllAsync(db, written);
            await new PreparedInsert<ThreadEvent>(db.Model).InsertAllAsync(db,
            [
                new ThreadEvent
                {
                    ThreadId = thread.Id, Seq = 1000, Type = ThreadEventTypes.ReplyHidden, ReplyId = written[0].Id,
                    Reason = "Off topic", Actor = "Mod", At = createdAt,
                },
            ]);
            await transaction.CommitAsync();
        }

        Assert.True(written[0].Id > parent.Id);
        Assert.Equal(written[0].Id + 1, written[1].Id);
        await using var check = await factory.CreateDbContextAsync();
        foreach (var expected in written)
        {
            var stored = await check.Replies.AsNoTracking().SingleAsync(r => r.Id == expected.Id);
            Assert.Equivalent(expected, stored);
        }

        var storedEvent = await check.ThreadEvents.AsNoTracking().SingleAsync(e => e.ThreadId == thread.Id && e.Seq == 1000);
        Assert.Equal((thread.Id, ThreadEventTypes.ReplyHidden, written[0].Id, "Off topic", "Mod", createdAt),
            (storedEvent.ThreadId, storedEvent.Type, storedEvent.ReplyId, storedEvent.Reason, storedEvent.Actor, storedEvent.At));
        Assert.True(storedEvent.Id > 0);
    }

    [Fact]
    public async Task Outside_a_transaction_it_refuses_and_stores_nothing()
    {
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync();
        await using var db = await app.Service<IDbContextFactory<DiscussionDbContext>>().CreateDbContextAsync();

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => new PreparedInsert<Reply>(db.Model).InsertAllAsync(db,
            [new Reply { ThreadId = thread.Id, AuthorName = "Nobody", Body = "Lost?", CreatedAt = DateTimeOffset.UtcNow }]));

        Assert.Contains("transaction", refusal.Message);
        Assert.Equal(0, await db.Replies.CountAsync(r => r.ThreadId == thread.Id));
    }

    [Fact]
    public async Task An_update_writes_only_the_named_columns_with_the_models_conversions()
    {
        using var admin = await app.AdminAsync();
        var first = await admin.StartThreadAsync();
        var second = await admin.StartThreadAsync();
        var factory = app.Service<IDbContextFactory<DiscussionDbContext>>();
        var activity = new DateTimeOffset(2026, 11, 27, 18, 5, 0, TimeSpan.FromHours(-5)).AddTicks(77);

        await using (var db = await factory.CreateDbContextAsync())
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var threads = await db.Threads.AsNoTracking().Where(t => t.Id == first.Id || t.Id == second.Id).ToListAsync();
            foreach (var thread in threads)
            {
                thread.LatestSeq += 41;
                thread.LastActivityAt = activity;
                thread.Title = "Not written: not named";
            }

            await new PreparedUpdate<DiscussionThread>(db.Model, nameof(DiscussionThread.LatestSeq), nameof(DiscussionThread.LastActivityAt))
                .UpdateAllAsync(db, threads);
            await transaction.CommitAsync();
        }

        await using var check = await factory.CreateDbContextAsync();
        foreach (var started in new[] { first, second })
        {
            var stored = await check.Threads.AsNoTracking().SingleAsync(t => t.Id == started.Id);
            Assert.Equal((started.Title, activity), (stored.Title, stored.LastActivityAt));
            Assert.True(stored.LatestSeq >= 41, $"seq {stored.LatestSeq}");
        }
    }

    [Fact]
    public async Task An_update_of_a_row_that_is_gone_fails_and_its_transaction_stores_nothing()
    {
        using var admin = await app.AdminAsync();
        var kept = await admin.StartThreadAsync();
        var factory = app.Service<IDbContextFactory<DiscussionDbContext>>();

        await using (var db = await factory.CreateDbContextAsync())
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var thread = await db.Threads.AsNoTracking().SingleAsync(t => t.Id == kept.Id);
            thread.LatestSeq = 9_999;
            var gone = new DiscussionThread { Id = thread.Id + 1_000, Title = "Gone", Slug = "gone", Body = "", AuthorName = "Nobody" };
            var update = new PreparedUpdate<DiscussionThread>(db.Model, nameof(DiscussionThread.LatestSeq));

            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => update.UpdateAllAsync(db, [thread, gone]));
            Assert.Contains("No DiscussionThread", failure.Message);
        }

        await using var check = await factory.CreateDbContextAsync();
        Assert.NotEqual(9_999, (await check.Threads.AsNoTracking().SingleAsync(t => t.Id == kept.Id)).LatestSeq);
    }
}

public sealed class PreparedInsertTests(EmptyApp app) : PreparedInsertChecks(app), IClassFixture<EmptyApp>;

public sealed class PreparedInsertOnPostgresTests(PostgresEmptyApp app) : PreparedInsertChecks(app), IClassFixture<PostgresEmptyApp>;
