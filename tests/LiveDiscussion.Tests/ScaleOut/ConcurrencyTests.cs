using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using Microsoft.Data.Sqlite;

namespace LiveDiscussion.Tests.ScaleOut;

/// <summary>Two processes writing one SQLite file at once: no "database is locked" reaches anyone, no seq is lost.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConcurrencyTests
{
    private const int WritersPerNode = 10;
    private const int RepliesPerWriter = 100;
    private const int Threads = 5;

    [Fact]
    public async Task Twenty_writers_on_two_nodes_store_exactly_2000_replies_with_gap_free_seqs_and_no_errors()
    {
        await using var cluster = await Cluster.StartAsync();
        using var admin = await cluster.A.AdminAsync();
        var threads = new List<long>();
        for (var i = 0; i < Threads; i++)
        {
            threads.Add((await admin.StartThreadAsync($"Busy thread {i}")).Id);
        }

        var writers = new List<HttpClient>();
        foreach (var node in new[] { cluster.A, cluster.B })
        {
            for (var i = 0; i < WritersPerNode; i++)
            {
                writers.Add(await node.MemberAsync($"writer{i}"));
            }
        }

        var errors = (await Task.WhenAll(writers.Select((writer, w) => WriteAsync(writer, w, threads)))).SelectMany(e => e).ToList();

        Assert.True(errors.Count == 0, $"{errors.Count} errors, e.g. {string.Join(" | ", errors.Take(3))}");
        var replies = 0;
        foreach (var threadId in threads)
        {
            // The event log as stored: more than one catch-up can carry, so read from the file itself.
            var log = EventLogOf(cluster.DatabasePath, threadId);
            Assert.Equal(Enumerable.Range(1, log.Count).Select(seq => (long)seq), log.Select(e => e.Seq));
            var thread = await admin.GetThreadAsync(threadId);
            Assert.Equal(log.Count, thread.LatestSeq);
            Assert.Equal(log.Count(e => e.Type == ThreadEventTypes.ReplyPosted), thread.ReplyCount);
            Assert.Equal(Math.Min(thread.ReplyCount, Limits.RepliesPageMax), thread.Replies.Count);
            replies += thread.ReplyCount;
        }

        Assert.Equal(2 * WritersPerNode * RepliesPerWriter, replies);
        foreach (var writer in writers)
        {
            writer.Dispose();
        }
    }

    private static async Task<List<string>> WriteAsync(HttpClient writer, int writerIndex, List<long> threads)
    {
        var errors = new List<string>();
        for (var i = 0; i < RepliesPerWriter; i++)
        {
            var response = await writer.PostReplyAsync(threads[(writerIndex + i) % threads.Count], $"Writer {writerIndex}, reply {i}");
            if (!response.IsSuccessStatusCode)
            {
                errors.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        return errors;
    }

    private static List<(long Seq, string Type)> EventLogOf(string databasePath, long threadId)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Seq, Type FROM ThreadEvents WHERE ThreadId = $thread ORDER BY Seq";
        command.Parameters.AddWithValue("$thread", threadId);
        using var reader = command.ExecuteReader();
        var log = new List<(long, string)>();
        while (reader.Read())
        {
            log.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return log;
    }
}
