using System.Collections.Concurrent;
using System.Threading.Channels;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Content;

/// <summary>
/// Stores HTML that <see cref="BodyRenderer.HtmlOf"/> rendered on read because a row had none under the current rules
/// (a row older than the column, written by a node running older code, or rendered under older rules). It writes off
/// the reader's path, so no read waits for SQLite's write lock; until a write lands, readers of that row on this node
/// are served the rendering waiting here, so a row is rendered once rather than once per read in between.
/// </summary>
/// <remarks>
/// A write only lands on a row that still has the body it was rendered from and no HTML under these rules or newer:
/// an edit that commits while the rendering waits keeps its own HTML, and a node still running older rules during a
/// rollout never takes a row back to them. A failed write is dropped; the row is rendered again when next read.
/// It is the one write outside <see cref="ModeratedWrite"/>: a cache of what a row already says, with no actor, no
/// event and nothing to tell anyone, and the renderer that feeds it is itself a part of every moderated write (its
/// events carry rendered replies), so it runs on <see cref="StoreRetry"/> alone.
/// </remarks>
public sealed class BodyHtmlWriteBack : IAsyncDisposable
{
    public const int MaxBatch = 256;

    private readonly record struct RowKey(Type Kind, long Id);

    private sealed record Rendering(RowKey Row, string Body, string Html, int Rules);

    private readonly IDbContextFactory<DiscussionDbContext> _dbFactory;
    private readonly TimeProvider _clock;
    private readonly ILogger<BodyHtmlWriteBack> _logger;
    private readonly ConcurrentDictionary<RowKey, Rendering> _waiting = new();
    private readonly Channel<Rendering> _queue =
        Channel.CreateUnbounded<Rendering>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public BodyHtmlWriteBack(IDbContextFactory<DiscussionDbContext> dbFactory, TimeProvider clock, ILogger<BodyHtmlWriteBack> logger)
    {
        _dbFactory = dbFactory;
        _clock = clock;
        _logger = logger;
        _writer = Task.Run(WriteAllAsync);
    }

    /// <summary>The HTML waiting to be stored for this row, if it was rendered from the body the row has.</summary>
    public bool TryGetWaiting(IRenderedBody row, out string html)
    {
        if (_waiting.TryGetValue(KeyOf(row), out var waiting) && waiting.Body == row.Body)
        {
            html = waiting.Html;
            return true;
        }

        html = "";
        return false;
    }

    /// <summary>Queues the row's freshly rendered <see cref="IRenderedBody.BodyHtml"/> to be stored.</summary>
    public void Store(IRenderedBody row)
    {
        if (row.Id <= 0 || row.BodyHtml is not { } html || row.BodyHtmlRules is not { } rules)
        {
            return;
        }

        var rendering = new Rendering(KeyOf(row), row.Body, html, rules);
        _waiting[rendering.Row] = rendering;
        if (!_queue.Writer.TryWrite(rendering))
        {
            _waiting.TryRemove(new KeyValuePair<RowKey, Rendering>(rendering.Row, rendering));
        }
    }

    private static RowKey KeyOf(IRenderedBody row) => new(row.GetType(), row.Id);

    private async Task WriteAllAsync()
    {
        var batch = new List<Rendering>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                await StoreRetry.RunAsync(() => WriteBatchAsync(batch), _clock, CancellationToken.None);
            }
            catch (Exception exception)
            {
                _logger.LogWarning(exception, "Storing {Count} bodies rendered on read failed; they are rendered again when next read",
                    batch.Count);
            }

            foreach (var rendering in batch)
            {
                _waiting.TryRemove(new KeyValuePair<RowKey, Rendering>(rendering.Row, rendering));
            }

            batch.Clear();
        }
    }

    private async Task WriteBatchAsync(IReadOnlyList<Rendering> batch)
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        // In the store's lock order, threads before replies and each in ascending id, as every write takes them: on
        // PostgreSQL this batch then never waits in a circle with an edit that holds its thread and wants its reply.
        foreach (var rendering in batch
            .OrderBy(r => r.Row.Kind == typeof(DiscussionThread) ? 0 : 1)
            .ThenBy(r => r.Row.Id))
        {
            var (id, body, html, rules) = (rendering.Row.Id, rendering.Body, rendering.Html, rendering.Rules);
            if (rendering.Row.Kind == typeof(Reply))
            {
                await db.Replies
                    .Where(r => r.Id == id && r.Body == body
                        && (r.BodyHtml == null || r.BodyHtmlRules == null || r.BodyHtmlRules < rules))
                    .ExecuteUpdateAsync(set => set.SetProperty(r => r.BodyHtml, html).SetProperty(r => r.BodyHtmlRules, rules));
            }
            else if (rendering.Row.Kind == typeof(DiscussionThread))
            {
                await db.Threads
                    .Where(t => t.Id == id && t.Body == body
                        && (t.BodyHtml == null || t.BodyHtmlRules == null || t.BodyHtmlRules < rules))
                    .ExecuteUpdateAsync(set => set.SetProperty(t => t.BodyHtml, html).SetProperty(t => t.BodyHtmlRules, rules));
            }
        }

        await transaction.CommitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }
}
