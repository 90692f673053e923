namespace LiveDiscussion.Contracts;

public static class Limits
{
    public const int TitleMaxLength = 200;
    public const int BodyMaxLength = 10_000;
    public const int ThreadBodyMaxLength = 20_000;
    public const int ReasonMaxLength = 500;
    public const int ClientRequestIdMaxLength = 100;
    public const int CatchUpMaxEvents = 500;
    public const long RequestBodyMaxBytes = 1024 * 1024;
}
