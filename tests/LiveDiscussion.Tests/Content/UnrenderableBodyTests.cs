using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Content;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveDiscussion.Tests.Content;

/// <summary>
/// A body Markdig refuses (nested too deeply) is refused with 400 before anything is stored, on every surface, and never
/// reaches the writer's transaction.
/// </summary>
public sealed class UnrenderableBodyTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    /// <summary>Quote markers inside each other, within the reply limit: past Markdig's depth limit.</summary>
    public static readonly string TooDeep = new string('>', 9_000) + " deep";

    [Fact]
    public void The_renderer_cannot_render_it()
    {
        var renderer = new BodyRenderer();
        Assert.Null(renderer.TryToHtml(TooDeep, BodyFormat.Markdown));
        Assert.NotNull(renderer.TryToHtml("> fine", BodyFormat.Markdown));
    }

    [Fact]
    public async Task A_reply_a_thread_and_an_edit_that_cannot_be_rendered_get_400_and_nothing_is_stored()
    {
        using var member = await app.MemberAsync("nester");
        var thread = await member.StartThreadAsync("Nesting", "Plain post.");
        var threadsBefore = await member.ThreadIdsAsync();

        await (await member.PostReplyAsync(thread.Id, TooDeep)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "cannot be shown");
        await (await member.PostAsJsonAsync("/api/threads", new CreateThreadRequest("Deep post", TooDeep), Api.Json))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "cannot be shown");
        var reply = await member.ReplyAsync(thread.Id, "fine");
        await (await member.PutAsJsonAsync($"/api/replies/{reply.Id}", new EditReplyRequest(TooDeep), Api.Json))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "cannot be shown");

        await using var hub = await HubWatcher.ConnectAsync(app, member);
        var refused = await Assert.ThrowsAsync<HubException>(() =>
            hub.Connection.InvokeAsync<ReplyDto>(DiscussionHubContract.PostReply, new PostReplyRequest(thread.Id, null, TooDeep)));
        Assert.Contains("cannot be shown", refused.Message);

        var stored = await member.GetThreadAsync(thread.Id);
        Assert.Equal(["fine"], stored.Replies.Select(r => r.Body));
        Assert.Equal(threadsBefore, await member.ThreadIdsAsync());
        Assert.Single((await member.EventsAfterAsync(thread.Id, 0)).Events);
    }
}
