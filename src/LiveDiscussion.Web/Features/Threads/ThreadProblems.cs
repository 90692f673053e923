using LiveDiscussion.Web.Infrastructure;

namespace LiveDiscussion.Web.Features.Threads;

public static class ThreadProblems
{
    public static DiscussionProblem NotFound() => DiscussionProblem.NotFound("Thread not found");

    /// <summary>A reply that is not in the thread, or not one the caller may see (held for someone else).</summary>
    public static DiscussionProblem ReplyNotFound() => new(ProblemKind.NotFound, "Reply not found", "replyId");

    public static DiscussionProblem Closed(string? reason) => DiscussionProblem.Conflict(
        string.IsNullOrWhiteSpace(reason) ? "This thread is closed." : $"This thread is closed: {reason}");
}
