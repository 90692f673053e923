using LiveDiscussion.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace LiveDiscussion.LoadTest.Baseline;

/// <summary>
/// The real hub's watch, post and typing methods and nothing else: no auth, no database, no presence, no throttling.
/// </summary>
public sealed class BaselineHub(BaselineThreads threads) : Hub<IDiscussionClient>
{
    public static string Group(long threadId) => $"thread:{threadId}";

    public async Task<ThreadCatchUp> WatchThread(long threadId, long afterSeq)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(threadId));
        return threads.CatchUp(threadId, afterSeq);
    }

    public Task UnwatchThread(long threadId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(threadId));

    /// <summary>The reply endpoint's work on the hub: persist --post-via hub's ceiling, as the endpoint is the API's.</summary>
    public async Task<ReplyDto> PostReply(PostReplyRequest request)
    {
        var body = BaselineThreads.AcceptableBody(request.Body) ?? throw new HubException(BaselineThreads.BodyRule);
        var threadEvent = threads.AppendReply(request.ThreadId, request.ParentReplyId, body);
        await Clients.Group(Group(request.ThreadId)).ThreadEvent(threadEvent);
        return threadEvent.Reply!;
    }

    /// <summary>Every signal changes the list and is sent at once to the thread's group: the most typing can cost.</summary>
    public Task SetTyping(long threadId, long? parentReplyId, bool isTyping) =>
        Clients.Group(Group(threadId)).TypingChanged(threads.Typing(threadId, Context.ConnectionId, parentReplyId, isTyping));
}
