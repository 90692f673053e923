namespace LiveDiscussion.LoadTest.Cli;

public static class Usage
{
    public const string Text = """
        LiveDiscussion load tool

          dotnet run -c Release --project src/LiveDiscussion.LoadTest -- <scenario> --url <base URL> [options]
          dotnet run -c Release --project src/LiveDiscussion.LoadTest -- baseline-server --urls <url>

        Scenarios: fanout, close (built); many-threads, typing, persist, idle, reconnect (named, not built yet).
          fanout   replies to one thread at R/s; time from each reply's intended send to each watcher
          close    a moderator closes and reopens one thread in turn at R requests/s (needs --email/--password of a
                   moderator); time from each close's intended send to its thread-closed event at each watcher

          --url URL             base URL of a running node (loopback only unless --allow-remote)
          --watchers N          hub clients watching the thread (default 2000, close 100; at most 50000)
          --threads T           threads, for scenarios with several (many-threads)
          --rate R              sends per second, open loop (default 25, close 5; at most 10000)
          --seconds S           how long to send (default 10, at most 600; at most 100000 sends in all)
          --protocol P          json (default) or messagepack
          --json FILE           also write the results as JSON
          --email E --password P  sign in first (needed to start threads and post on the real server)
          --baseline-url URL    run the same load against a baseline-server too and report the ratio (fanout only)
          --ramp-step N         watchers connected per step (default 250)
          --drain-seconds D     how long to wait for late deliveries after the last reply (default 10)
          --warmup-seconds W    unmeasured posting at the same rate first, so both ends are warm (default 2, 0 for none)
          --allow-remote        permit a target that is not this machine

        Exit codes: 0 clean run, 3 ran but something was missed, duplicated or failed, 2 bad command line, 1 could not run.
        """;
}
