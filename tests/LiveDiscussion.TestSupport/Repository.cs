namespace LiveDiscussion.TestSupport;

/// <summary>The repository the tests run from: its files (the compose file, the proxy's configuration, the web project).</summary>
public static class Repository
{
    /// <summary>The folder holding LiveDiscussion.sln, found above the test output.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LiveDiscussion.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("LiveDiscussion.sln not found above the test output.");
    }
}
