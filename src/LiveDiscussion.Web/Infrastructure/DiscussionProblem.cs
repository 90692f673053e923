namespace LiveDiscussion.Web.Infrastructure;

public enum ProblemKind
{
    Invalid,
    SignInRequired,
    Forbidden,
    NotFound,
    Conflict,
    Unavailable,
    TooManyRequests,
}

/// <summary>
/// A request the services refuse, with a message a person can act on. Every surface shows it its own way: the API as
/// ProblemDetails with the matching status, the hub as a HubException, a page next to the draft it kept.
/// </summary>
public sealed class DiscussionProblem(ProblemKind kind, string message, string? field = null, Exception? cause = null)
    : Exception(message, cause)
{
    public ProblemKind Kind { get; } = kind;

    /// <summary>The request field at fault, in the JSON API's camelCase, when one field is.</summary>
    public string? Field { get; } = field;

    /// <summary>
    /// For <see cref="ProblemKind.TooManyRequests"/>, and a store that does not answer
    /// (<see cref="Unavailable(string, TimeSpan, Exception)"/>): how long until the same request may succeed.
    /// </summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary><see cref="RetryAfter"/> in whole seconds, rounded up, as the Retry-After header says it.</summary>
    public int? RetryAfterSeconds => RetryAfter is { } wait ? WholeSeconds(wait) : null;

    public int StatusCode => Kind switch
    {
        ProblemKind.Invalid => StatusCodes.Status400BadRequest,
        ProblemKind.SignInRequired => StatusCodes.Status401Unauthorized,
        ProblemKind.Forbidden => StatusCodes.Status403Forbidden,
        ProblemKind.NotFound => StatusCodes.Status404NotFound,
        ProblemKind.Conflict => StatusCodes.Status409Conflict,
        ProblemKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ProblemKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static DiscussionProblem Invalid(string field, string message) => new(ProblemKind.Invalid, message, field);
    public static DiscussionProblem SignInRequired(string message) => new(ProblemKind.SignInRequired, message);
    public static DiscussionProblem Forbidden(string message) => new(ProblemKind.Forbidden, message);
    public static DiscussionProblem NotFound(string message) => new(ProblemKind.NotFound, message);
    public static DiscussionProblem Conflict(string message) => new(ProblemKind.Conflict, message);
    public static DiscussionProblem Unavailable(string message) => new(ProblemKind.Unavailable, message);

    /// <summary>
    /// Nothing can be done for now (the database does not answer): <paramref name="reason"/> says why, and the message
    /// ends with when to try again, which the API also sends as Retry-After. <paramref name="cause"/> is for the log.
    /// </summary>
    public static DiscussionProblem Unavailable(string reason, TimeSpan retryAfter, Exception? cause = null) =>
        new(ProblemKind.Unavailable, $"{reason} Try again in {Describe(WholeSeconds(retryAfter))}.", cause: cause)
        {
            RetryAfter = retryAfter,
        };

    /// <summary>
    /// A limit was reached: <paramref name="reason"/> says which, and the message ends with when to try again, so
    /// every surface (ProblemDetails, HubException, the composer) gives the same sentence.
    /// </summary>
    public static DiscussionProblem TooManyRequests(string reason, TimeSpan retryAfter) =>
        new(ProblemKind.TooManyRequests, $"{reason} Try again in {Describe(WholeSeconds(retryAfter))}.")
        {
            RetryAfter = retryAfter,
        };

    public static int WholeSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    private static string Describe(int seconds) => seconds switch
    {
        1 => "1 second",
        < 120 => $"{seconds} seconds",
        _ when seconds % 60 == 0 => $"{seconds / 60} minutes",
        _ => $"{seconds / 60} minutes {seconds % 60} seconds",
    };
}
