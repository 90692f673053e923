using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Tests.ScaleOut;

/// <summary>
/// Two node processes on one PostgreSQL database, each with its own group commit, writing into one thread at once:
/// the thread's seqs stay gap-free and unique, and every reply a poster was told is stored is stored once.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PostgresNodesTests
{
    private const int WritersPerNode = 3;
    private const int RepliesPerWriter = 20;

    [Fact]
    public async Task Writers_on_two_nodes_of_one_database_store_every_acknowledged_reply_once_under_gap_free_seqs()
    {
        await using var cluster = await Cluster.StartAsync(await TestStore.PostgresAsync());
        using var admin = await cluster.A.AdminAsync();
        var thread = await admin.StartThreadAsync("One thread, two nodes");
        var writers = new List<HttpClient>();
        foreach (var node in new[] { cluster.A, cluster.B })
        {
            for (var i = 0; i < WritersPerNode; i++)
            {
                writers.Add(await node.MemberAsync($"writer{i}"));
            }
        }

        var outcomes = await Task.WhenAll(writers.Select((writer, w) => WriteAsync(writer, w, thread.Id)));

        var errors = outcomes.SelectMany(o => o.Errors).ToList();
        Assert.True(errors.Count == 0, $"{errors.Count} errors, e.g. {string.Join(" | ", errors.Take(3))}");
        var acknowledged = outcomes.SelectMany(o => o.Stored).ToList();
        Assert.Equal(2 * WritersPerNode * RepliesPerWriter, acknowledged.Count);
        await using var db = cluster.Store.CreateContext();
        var log = await db.ThreadEvents.AsNoTracking().Where(e => e.ThreadId == thread.Id).OrderBy(e => e.Seq)
            .Select(e => new { e.Seq, e.Type, e.ReplyId }).ToListAsync();
        Assert.Equal(Enumerable.Range(1, acknowledged.Count).Select(seq => (long)seq), log.Select(e => e.Seq));
        Assert.All(log, e => Assert.Equal(ThreadEventTypes.ReplyPosted, e.Type));
        Assert.Equal(acknowledged.Order(), log.Select(e => e.ReplyId!.Value).Order());
        Assert.Equal(acknowledged.Order(),
            await db.Replies.AsNoTracking().Where(r => r.ThreadId == thread.Id).Select(r => r.Id).OrderBy(id => id).ToListAsync());
        Assert.Equal(acknowledged.Count, (await admin.GetThreadAsync(thread.Id)).LatestSeq);
        foreach (var writer in writers)
        {
            writer.Dispose();
        }
    }

    private static async Task<(List<long> Stored, List<string> Errors)> WriteAsync(HttpClient writer, int writerIndex, long threadId)
    {
        var stored = new List<long>();
        var errors = new List<string>();
        for (var i = 0; i < RepliesPerWriter; i++)
        {
            var response = await writer.PostReplyAsync(threadId, $"Writer {writerIndex}, reply {i}");
            if (response.IsSuccessStatusCode)
            {
                stored.Add((await response.Content.ReadFromJsonAsync<ReplyDto>(Api.Json))!.Id);
            }
            else
            {
                errors.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        return (stored, errors);
    }
}
