using System.Collections.Concurrent;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveDiscussion.Tests.Realtime;

public sealed class AccessTokenLoggingTests
{
    [Fact]
    public async Task A_hub_clients_access_token_is_accepted_and_never_written_to_the_log_even_at_trace_level()
    {
        var log = new ConcurrentQueue<string>();
        // An app of its own: it logs everything, down to Trace, into the test's sink.
        using var app = new TestApp(seedDemo: false, logSink: log);
        using var member = await app.MemberAsync();
        var token = member.DefaultRequestHeaders.Authorization!.Parameter!;
        var thread = await member.StartThreadAsync();

        await using (var watcher = await HubWatcher.ConnectAsync(app, member))
        {
            await watcher.WatchAsync(thread.Id);
            var reply = await watcher.Connection.InvokeAsync<ReplyDto>(
                DiscussionHubContract.PostReply, new PostReplyRequest(thread.Id, null, "signed in over the hub"));
            Assert.Equal("signed in over the hub", reply.Body);
        }

        Assert.NotEmpty(log);
        Assert.Contains(log, line => line.Contains("/hubs/discussion", StringComparison.Ordinal)
            || line.Contains("DiscussionHub", StringComparison.Ordinal));
        Assert.DoesNotContain(log, line => line.Contains(token, StringComparison.Ordinal)
            || line.Contains(token[..32], StringComparison.Ordinal));
    }
}
