namespace LiveDiscussion.Web.Realtime;

/// <summary>Group names are made here only; clients join groups through WatchThread, never by naming one.</summary>
public static class HubGroups
{
    public const string ThreadList = "thread-list";

    public static string Thread(long threadId) => $"thread:{threadId}";
}
