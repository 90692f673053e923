namespace LiveDiscussion.Web.Features.RateLimits;

/// <summary>
/// Metadata on an endpoint that posts a reply or starts a thread, so that a post from someone the posting limits still
/// refuse is answered before its body is read (<see cref="LimitsExtensions"/>).
/// </summary>
public sealed record PostingEndpoint(bool Thread)
{
    public static readonly PostingEndpoint Reply = new(Thread: false);

    public static readonly PostingEndpoint NewThread = new(Thread: true);
}
