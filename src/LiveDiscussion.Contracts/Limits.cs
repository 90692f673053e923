namespace LiveDiscussion.Contracts;

public static class Limits
{
    public const int TitleMaxLength = 200;
    public const int BodyMaxLength = 10_000;
    public const int ThreadBodyMaxLength = 20_000;
    public const int ReasonMaxLength = 500;

    /// <summary>A reader's note with a report.</summary>
    public const int FlagNoteMaxLength = 500;
    public const int ClientRequestIdMaxLength = 100;
    public const int CatchUpMaxEvents = 500;
    public const long RequestBodyMaxBytes = 1024 * 1024;

    /// <summary><c>GET /api/threads?limit=</c>: threads a page by default, and at most.</summary>
    public const int ThreadListPageDefault = 50;
    public const int ThreadListPageMax = 200;

    /// <summary>
    /// <c>GET /api/threads/{id}/replies?limit=</c>: replies a page at most, and by default; <c>GET /api/threads/{id}</c>
    /// returns this many before it says <c>hasMoreReplies</c>.
    /// </summary>
    public const int RepliesPageMax = 500;

    /// <summary>Slow mode: at most one reply per person every this many seconds, and for at most this many minutes.</summary>
    public const int SlowModeMaxSeconds = 3600;
    public const int SlowModeMaxMinutes = 7 * 24 * 60;
}
