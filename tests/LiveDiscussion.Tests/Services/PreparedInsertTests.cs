using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Infrastructure;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Replies;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Tests.Services;

/// <summary>
/// The group-commit writer stores replies and events with <see cref="PreparedInsert{TEntity}"/> instead of SaveChanges,
/// so a row it writes must read back through EF Core exactly as EF Core would have stored it: every column, with the
/// model's conversions (enums as text, times as UTC ticks), and the generated key set on the entity.
/// </summary>
public sealed class PreparedInsertTests : IDisposable
{
    private readonly TestApp _app = new(seedDemo: false);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Rows_read_back_through_ef_core_with_every_column_and_their_generated_keys()
    {
        using var admin = await _app.AdminAsync();
        var thread = await admin.StartThreadAsync();
        var parent = await admin.ReplyAsync(thread.Id, "The parent");
        var factory = _app.Service<IDbContextFactory<DiscussionDbContext>>();
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
            new PreparedInsert<Reply>(db.Model).InsertAll(db, written);
            new PreparedInsert<ThreadEvent>(db.Model).InsertAll(db,
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

        var storedEvent = await check.ThreadEvents.AsNoTracking().SingleAsync(e => e.Seq == 1000);
        Assert.Equal((thread.Id, ThreadEventTypes.ReplyHidden, written[0].Id, "Off topic", "Mod", createdAt),
            (storedEvent.ThreadId, storedEvent.Type, storedEvent.ReplyId, storedEvent.Reason, storedEvent.Actor, storedEvent.At));
        Assert.True(storedEvent.Id > 0);
    }

    [Fact]
    public async Task Outside_a_transaction_it_refuses_and_stores_nothing()
    {
        using var admin = await _app.AdminAsync();
        var thread = await admin.StartThreadAsync();
        await using var db = await _app.Service<IDbContextFactory<DiscussionDbContext>>().CreateDbContextAsync();

        var refusal = Assert.Throws<InvalidOperationException>(() => new PreparedInsert<Reply>(db.Model).InsertAll(db,
            [new Reply { ThreadId = thread.Id, AuthorName = "Nobody", Body = "Lost?", CreatedAt = DateTimeOffset.UtcNow }]));

        Assert.Contains("transaction", refusal.Message);
        Assert.Equal(0, await db.Replies.CountAsync(r => r.ThreadId == thread.Id));
    }
}
