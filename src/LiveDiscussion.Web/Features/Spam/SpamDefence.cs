namespace LiveDiscussion.Web.Features.Spam;

/// <summary>Every registered <see cref="ISpamCheck"/>, asked in order; the reply writer's one way in.</summary>
public sealed class SpamDefence(IEnumerable<ISpamCheck> checks)
{
    private readonly ISpamCheck[] _checks = [.. checks];

    /// <summary>The first reason a check gives to hold <paramref name="reply"/>, or null.</summary>
    public async ValueTask<string?> HoldReasonAsync(SpamCandidate reply)
    {
        foreach (var check in _checks)
        {
            if (await check.HoldReasonAsync(reply) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }
}
