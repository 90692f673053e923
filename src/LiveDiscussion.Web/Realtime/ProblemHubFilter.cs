using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.AspNetCore.SignalR;

namespace LiveDiscussion.Web.Realtime;

/// <summary>
/// Turns the services' refusals into HubExceptions carrying their message, and anything unexpected into a generic
/// one, so a hub client reads the same words as a page or the API and never an internal detail.
/// </summary>
public sealed class ProblemHubFilter(ILogger<ProblemHubFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (DiscussionProblem problem)
        {
            throw new HubException(problem.Message);
        }
        catch (Exception outage) when (StoreRetry.IsOutage(outage))
        {
            logger.LogWarning(outage, "Hub method {Method} found the database unreachable", invocationContext.HubMethodName);
            throw new HubException(StoreRetry.Unavailable(outage).Message);
        }
        catch (Exception exception) when (exception is not HubException and not OperationCanceledException)
        {
            logger.LogError(exception, "Hub method {Method} failed", invocationContext.HubMethodName);
            throw new HubException("Something went wrong on our side; nothing was changed.");
        }
    }
}
