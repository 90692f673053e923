namespace LiveDiscussion.LoadTest.Cli;

/// <summary>
/// Upper bounds on any run, so a typo cannot turn the tool into a flood that outlives the person who started it.
/// </summary>
public static class RunLimits
{
    public const int MaxWatchers = 50_000;
    public const int MaxThreads = 10_000;
    public const double MaxRate = 10_000;
    public const int MaxSeconds = 600;
    public const int MaxPosts = 100_000;
    public const int MaxRampStep = 10_000;
    public const int MaxDrainSeconds = 120;
    public const int MaxWarmUpSeconds = 60;
    public const int MaxTypists = 1_000;
    public const int MaxPosters = 1_000;
    public const int MaxAttackers = 64;
    public const int MaxRestartTimeoutSeconds = 600;
    public const int MaxThreadReplies = 1_000;

    public const int DefaultWatchers = 2_000;
    public const double DefaultRate = 25;
    public const int DefaultSeconds = 10;
    public const int DefaultRampStep = 250;
    public const int DefaultDrainSeconds = 10;
    public const int DefaultWarmUpSeconds = 2;

    // The close scenario measures a moderator action, not a stream of replies: fewer watchers, a few requests a second.
    public const int DefaultCloseWatchers = 100;
    public const double DefaultCloseRate = 5;

    // many-threads: the target load of docs/benchmarks.md, 500 threads x 4 watchers at 200 replies/s in all.
    public const int DefaultManyThreads = 500;
    public const int DefaultManyThreadsWatchers = 4;
    public const double DefaultManyThreadsRate = 200;

    // circuits: readers of one thread, where replies come at a conversation's pace.
    public const double DefaultCircuitsRate = 1;

    public const int DefaultTypists = 10;
    public const int DefaultPosters = 16;
    public const int DefaultRestartTimeoutSeconds = 60;
}
