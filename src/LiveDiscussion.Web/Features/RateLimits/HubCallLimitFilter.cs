using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Infrastructure;
using LiveDiscussion.Web.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace LiveDiscussion.Web.Features.RateLimits;

/// <summary>
/// At most <c>RateLimits:HubCalls</c> method calls per hub connection, so a flood of calls (typing, posts, watches)
/// from one connection is turned away before any service runs and costs the server only that connection. Moderators'
/// connections are not counted (their sign-in's roles), so the load tool's admin measures the node, not this limit.
/// A connection that goes on calling as fast after as many refusals again is closed: a client that reconnects meets
/// the per-address connection limit. A <c>PostReply</c> from someone the posting limits still refuse gets its refusal
/// after <see cref="PostingLimits.RefuseRepeatAsync"/>'s pause; one connection's calls run one at a time, so the pause
/// holds back that connection's flood.
/// </summary>
public sealed class HubCallLimitFilter(IOptions<RateLimitOptions> options, PostingLimits postingLimits, TimeProvider clock)
    : IHubFilter
{
    private static readonly object WindowKey = new();
    private readonly RateLimitOptions _options = options.Value;

    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var context = invocationContext.Context;
        if (_options.Enabled && !IsModerator(context))
        {
            if (!context.Items.TryGetValue(WindowKey, out var held) || held is not SlidingWindows window)
            {
                // One connection's calls run one at a time unless the server allows more: no race to set it.
                context.Items[WindowKey] = window = new SlidingWindows(clock);
            }

            if (window.TryAcquire("calls", _options.HubCalls) is { } wait)
            {
                if (window.TryAcquire("refused", _options.HubCalls) is not null)
                {
                    context.Abort();
                    throw new HubException(
                        $"This connection is closed: it kept calling after being told to wait ({_options.HubCalls.Describe("call", "calls")}).");
                }

                throw new HubException(DiscussionProblem.TooManyRequests(
                    $"Too many calls on this connection: at most {_options.HubCalls.Describe("call", "calls")}.", wait).Message);
            }

            if (invocationContext.HubMethodName == nameof(DiscussionHub.PostReply)
                && context.User is { } user && Actor.SignedInUserId(user) is { } userId
                && await postingLimits.RefuseRepeatAsync(userId, thread: false, context.ConnectionAborted) is { } refusal)
            {
                throw new HubException(refusal.Message);
            }
        }

        return await next(invocationContext);
    }

    private static bool IsModerator(HubCallerContext context) =>
        context.User?.IsInRole(Roles.Moderator) == true || context.User?.IsInRole(Roles.Admin) == true;
}
