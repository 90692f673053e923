using System.Text.Json.Serialization;
using LiveDiscussion.Contracts;

namespace LiveDiscussion.Web.Realtime;

/// <summary>
/// What every node must hear so that its own pages, hub clients and trackers stay current. Each kind of news is
/// published once, here, and every node (the publisher too) hands it to its own people through its
/// <see cref="NodeDispatcher"/>, so one code path serves one node and many.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ThreadEventNews), "event")]
[JsonDerivedType(typeof(TypingSignal), "typing")]
[JsonDerivedType(typeof(ViewersNews), "viewers")]
[JsonDerivedType(typeof(ThreadListNews), "list")]
[JsonDerivedType(typeof(ModerationQueueNews), "queue")]
[JsonDerivedType(typeof(LinkProbe), "probe")]
[JsonDerivedType(typeof(LinkRestored), "link-restored")]
[JsonDerivedType(typeof(SignInChanged), "sign-in")]
public abstract record NodeMessage;

public sealed record ThreadEventNews(ThreadEventDto Event) : NodeMessage;

public sealed record TypingSignal(
    long ThreadId, string UserId, string DisplayName, long? ParentReplyId, bool IsTyping, DateTimeOffset At) : NodeMessage;

public sealed record ViewersNews(ViewersChangedDto Viewers) : NodeMessage;

public sealed record ThreadListNews(ThreadSummaryDto Summary) : NodeMessage;

public sealed record ModerationQueueNews : NodeMessage;

/// <summary>
/// What a person may do changed (a role, a suspension) or one of their sign-ins ended (<see cref="EndedSignInId"/>):
/// every node's open pages of that person check their sign-in again at once.
/// </summary>
public sealed record SignInChanged(string UserId, string? EndedSignInId = null) : NodeMessage;

/// <summary>A node's check that its own subscription delivers again after Redis came back.</summary>
public sealed record LinkProbe(string NodeId, Guid Nonce) : NodeMessage;

/// <summary>
/// A node's link is back. While it was down, that node stored changes it could not send, and viewers on the other
/// nodes were never told to pause: they are told now to catch up, as that node's own viewers were.
/// </summary>
public sealed record LinkRestored(string NodeId) : NodeMessage;

/// <summary>Sends a message to every node, this one included.</summary>
public interface INodeBus
{
    Task PublishAsync(NodeMessage message);
}

/// <summary>Tells this node's process apart from the others sharing Redis.</summary>
public sealed record NodeIdentity(string Id)
{
    public static NodeIdentity ForThisProcess() =>
        new($"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
}

/// <summary>One node, no Redis: a message is handed straight to this node's dispatcher.</summary>
public sealed class InProcessNodeBus(NodeDispatcher dispatcher) : INodeBus
{
    public Task PublishAsync(NodeMessage message) => dispatcher.ReceiveAsync(message);
}
