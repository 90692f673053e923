using LiveDiscussion.Web.Infrastructure;

namespace LiveDiscussion.Web.Features.Threads;

public static class ThreadProblems
{
    public static DiscussionProblem NotFound() => DiscussionProblem.NotFound("Thread not found");

    public static DiscussionProblem Closed(string? reason) => DiscussionProblem.Conflict(
        string.IsNullOrWhiteSpace(reason) ? "This thread is closed." : $"This thread is closed: {reason}");
}
