using System.Net;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LiveDiscussion.Tests.Realtime;

public sealed class StoppingNodeTests
{
    [Fact]
    public async Task A_stopping_node_closes_its_watchers_turns_returning_ones_away_with_a_retry_hint_and_still_answers_the_api()
    {
        var stopHeld = new StopHold();
        // An app of its own: the test stops it.
        using var app = new TestApp(seedDemo: false, testServices: services => services.AddHostedService(_ => stopHeld));
        try
        {
            using var member = await app.MemberAsync();
            var thread = await member.StartThreadAsync();
            using var anonymous = app.Anonymous();
            var negotiate = $"{DiscussionHubContract.Path}/negotiate?negotiateVersion=1";
            using (var beforeStop = await anonymous.PostAsync(negotiate, content: null))
            {
                Assert.Equal(HttpStatusCode.OK, beforeStop.StatusCode);
            }

            await using var watcher = await HubWatcher.ConnectAsync(app, member);
            await watcher.WatchAsync(thread.Id);
            var closed = new TaskCompletionSource();
            watcher.Connection.Closed += _ =>
            {
                closed.TrySetResult();
                return Task.CompletedTask;
            };

            app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await stopHeld.Reached.WaitAsync(TimeSpan.FromSeconds(10));

            using var whileStopping = await anonymous.PostAsync(negotiate, content: null);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, whileStopping.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), whileStopping.Headers.RetryAfter?.Delta);
            Assert.Contains("This node is stopping", await whileStopping.Content.ReadAsStringAsync());

            var returning = new HubConnectionBuilder().WithUrl(new Uri(app.BaseAddress, DiscussionHubContract.Path)).Build();
            var refused = await Assert.ThrowsAnyAsync<HttpRequestException>(() => returning.StartAsync());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

            var reply = await member.ReplyAsync(thread.Id, "posted while the node stops");
            Assert.Contains((await anonymous.GetThreadAsync(thread.Id)).Replies, r => r.Id == reply.Id);
        }
        finally
        {
            stopHeld.Release();
        }
    }

    /// <summary>
    /// Holds the node in its stop, still listening, until released: the host stops its services in reverse order, so one
    /// added by a test stops before the web server does.
    /// </summary>
    private sealed class StopHold : IHostedService
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public void Release() => _released.TrySetResult();

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _reached.TrySetResult();
            return _released.Task;
        }
    }
}
