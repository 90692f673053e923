using System.Security.Claims;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Reports;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.AspNetCore.SignalR;

namespace LiveDiscussion.Web.Realtime;

/// <summary>
/// The live surface of the same services the pages and the API use; each method is a thin adapter. Refusals become
/// <see cref="HubException"/>s with the service's message (see <see cref="ProblemHubFilter"/>).
/// </summary>
public sealed class DiscussionHub(
    ThreadEventLog events,
    ReplyService replies,
    ThreadService threads,
    PresenceTracker presence,
    TypingTracker typing,
    ILiveLink link,
    FlagService flags) : Hub<IDiscussionClient>
{
    /// <summary>A client that connects while this node's link is down learns it at once, as a page does.</summary>
    public override Task OnConnectedAsync() =>
        link.IsLive ? Task.CompletedTask : Clients.Caller.LiveStatusChanged(new LiveStatusDto(Paused: true));

    public async Task<ThreadCatchUp> WatchThread(long threadId, long afterSeq)
    {
        // Joined before reading, so an event committed meanwhile arrives live or in the catch-up, never in neither.
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Thread(threadId));
        try
        {
            var catchUp = await events.GetAfterAsync(threadId, afterSeq, Context.ConnectionAborted);
            presence.Watch(threadId, Context.ConnectionId, ViewerKey);
            return catchUp;
        }
        catch
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.Thread(threadId));
            throw;
        }
    }

    public async Task UnwatchThread(long threadId)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.Thread(threadId));
        presence.Unwatch(threadId, Context.ConnectionId);
        typing.Signal(threadId, ViewerKey, "", null, isTyping: false);
    }

    public Task WatchThreadList() => Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.ThreadList);

    public Task UnwatchThreadList() => Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.ThreadList);

    public Task<ReplyDto> PostReply(PostReplyRequest request) => replies.PostAsync(User, request, Context.ConnectionAborted);

    public Task<ReplyDto> EditReply(long replyId, string body) => replies.EditAsync(User, replyId, body, Context.ConnectionAborted);

    public Task DeleteReply(long replyId) => replies.DeleteAsync(User, replyId, Context.ConnectionAborted);

    public Task HideReply(long replyId, string? reason) => replies.HideAsync(User, replyId, reason, Context.ConnectionAborted);

    public Task RestoreReply(long replyId) => replies.RestoreAsync(User, replyId, Context.ConnectionAborted);

    public async Task<ReplyFlagDto> FlagReply(long replyId, string? reason, string? note) =>
        (await flags.FlagAsync(User, replyId, new FlagReplyRequest(reason, note), Context.ConnectionAborted)).Flag;

    public Task CloseThread(long threadId, string? reason) => threads.CloseAsync(User, threadId, reason, Context.ConnectionAborted);

    public Task ReopenThread(long threadId) => threads.ReopenAsync(User, threadId, Context.ConnectionAborted);

    public Task SetSlowMode(long threadId, int seconds, int? forMinutes) =>
        threads.SetSlowModeAsync(User, threadId, seconds, forMinutes, Context.ConnectionAborted);

    public async Task SetTyping(long threadId, long? parentReplyId, bool isTyping)
    {
        if (User.FindFirstValue(ClaimTypes.NameIdentifier) is null)
        {
            throw new HubException("Sign in to reply.");
        }

        if (!presence.IsWatching(Context.ConnectionId, threadId))
        {
            throw new HubException("Watch the thread before typing in it.");
        }

        await typing.SignalAsync(User, threadId, parentReplyId, isTyping, Context.ConnectionAborted);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        presence.Disconnect(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private ClaimsPrincipal User => Context.User ?? new ClaimsPrincipal();

    private string ViewerKey => Context.UserIdentifier ?? Context.ConnectionId;
}
