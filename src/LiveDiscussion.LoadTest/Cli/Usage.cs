namespace LiveDiscussion.LoadTest.Cli;

public static class Usage
{
    public const string Text = """
        LiveDiscussion load tool

          dotnet run -c Release --project src/LiveDiscussion.LoadTest -- <scenario> --url <base URL> [options]
          dotnet run -c Release --project src/LiveDiscussion.LoadTest -- baseline-server --urls <url>

        Scenarios: fanout (built); many-threads, typing, persist, idle, reconnect (named, not built yet).

          --url URL             base URL of a running node (loopback only unless --allow-remote)
          --watchers N          hub clients watching the thread (default 2000, at most 50000)
          --threads T           threads, for scenarios with several (many-threads)
          --rate R              replies per second, open loop (default 25, at most 10000)
          --seconds S           how long to post (default 10, at most 600; at most 100000 replies in all)
          --protocol P          json (default) or messagepack
          --json FILE           also write the results as JSON
          --email E --password P  sign in first (needed to start threads and post on the real server)
          --baseline-url URL    run the same load against a baseline-server too and report the ratio
          --ramp-step N         watchers connected per step (default 250)
          --drain-seconds D     how long to wait for late deliveries after the last reply (default 10)
          --warmup-seconds W    unmeasured posting at the same rate first, so both ends are warm (default 2, 0 for none)
          --allow-remote        permit a target that is not this machine

        Exit codes: 0 clean run, 3 ran but something was missed, duplicated or failed, 2 bad command line, 1 could not run.
        """;
}
