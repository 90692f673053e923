using LiveDiscussion.Web.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace LiveDiscussion.Web.Infrastructure;

/// <summary>Answers API requests that failed with RFC 9457 ProblemDetails carrying the reason.</summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (StoreRetry.IsOutage(exception))
        {
            // A read (writes wait an outage out first) while the database does not answer: 503 with Retry-After.
            exception = StoreRetry.Unavailable(exception);
        }

        var problem = exception switch
        {
            DiscussionProblem { Field: { } field } refused => new HttpValidationProblemDetails(
                new Dictionary<string, string[]> { [field] = [refused.Message] })
            {
                Status = refused.StatusCode,
                Detail = refused.Message,
            },
            DiscussionProblem refused => new ProblemDetails { Status = refused.StatusCode, Detail = refused.Message },
            BadHttpRequestException badRequest => new ProblemDetails
            {
                Status = badRequest.StatusCode,
                Detail = DescribeBadRequest(badRequest),
            },
            _ when httpContext.Request.Path.StartsWithSegments("/api") => new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Detail = "Something went wrong on our side; nothing was changed.",
            },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled error in {Path}", httpContext.Request.Path);
        }

        if (exception is DiscussionProblem { RetryAfterSeconds: { } retryAfter })
        {
            httpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            problem.Extensions["retryAfter"] = retryAfter;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static string DescribeBadRequest(BadHttpRequestException exception) => exception.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => WebPlatformExtensions.TooLargeDetail,
        _ when exception.InnerException is System.Text.Json.JsonException json =>
            $"The request body is not valid JSON: {json.Message}",
        _ => exception.Message,
    };
}
