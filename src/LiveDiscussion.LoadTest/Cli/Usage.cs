namespace LiveDiscussion.LoadTest.Cli;

public static class Usage
{
    public const string Text = """
        LiveDiscussion load tool

          dotnet run -c Release --project src/LiveDiscussion.LoadTest -- <scenario> --url <base URL> [options]
          dotnet run -c Release --project src/LiveDiscussion.LoadTest -- baseline-server --urls <url>

        Scenarios:
          fanout        replies to one thread at R/s; time from each reply's intended send to each watcher
          close         a moderator closes and reopens one thread in turn at R requests/s (needs --email/--password of a
                        moderator); time from each close's intended send to its thread-closed event at each watcher
          many-threads  T threads x W watchers each (default 500 x 4), R replies/s in all (default 200) spread over them
          typing        fanout measured twice in one run, --seconds each: without typists, then with K typists calling
                        SetTyping (each its own account, registered by the tool); reports the latency ratio
          persist       P posters post replies as fast as they are acknowledged for S s: stored replies/s, beside a raw
                        SQLite insert loop (same WAL settings, same P) run by the tool unless --no-baseline
          idle          N watchers connected in steps and held for S s; with --server-pid, server memory per watcher
          reconnect     N watchers and replies at R/s; the node is restarted during the run (--restart-command, or by
                        hand when asked); time until every watcher is back and caught up, and replies missed (must be 0)
          circuits      N Blazor Server circuits (the tool's own blazorpack client, no browser) on one thread's page while
                        replies come at R/s (default 1); time from each reply's intended send to the render batch showing
                        it at each circuit, renders missed; with --server-pid server memory per circuit and CPU per render;
                        then N hub watchers on the same thread at the same rate, for the CPU per delivery beside it
                        (needs --email/--password; --client applies to the hub watchers)

          --url URL             base URL of a running node (loopback only unless --allow-remote)
          --watchers N          hub clients watching the thread (default 2000, close 100; many-threads: per thread, 4;
                                circuits: circuits, and as many hub watchers after them)
          --threads T           threads (many-threads, default 500; idle, default 1)
          --rate R              sends per second, open loop (default 25, close 5, circuits 1; at most 10000)
          --seconds S           how long to send (default 10, at most 600; at most 100000 sends in all)
          --protocol P          json (default) or messagepack
          --client C            watchers' client: hub (the SignalR .NET client, default) or raw (the tool's own lean
                                JSON-protocol client, far cheaper per delivery; for thousands of watchers on one core);
                                also persist's posters with --post-via hub
          --json FILE           also write the results as JSON
          --email E --password P  sign in first (needed to start threads and post on the real server)
          --baseline-url URL    run the same load against a baseline-server too and report the ratio (not close,
                                persist, reconnect or circuits)
          --ramp-step N         watchers (circuits) connected per step (default 250)
          --drain-seconds D     how long to wait for late deliveries after the last reply (default 10)
          --warmup-seconds W    unmeasured posting at the same rate first, so both ends are warm (default 2, 0 for none)
          --watch-url URL       watchers connect here while replies are posted to --url (another node; default --url)
          --http2               watchers connect over HTTP/2 (WebSockets over HTTP/2, RFC 8441): many to a TCP
                                connection; the watch URL must serve HTTP/2 (cleartext: a Kestrel endpoint with
                                Protocols Http2); not with --baseline-url
          --server-pid PID      the server's process on this machine: report its CPU and memory from /proc
          --typists K           typing: typists beside the watchers (default 10)
          --posters P           persist: concurrent posters (default 16)
          --post-via api|hub    persist: POST to the JSON API (default), or the hub's PostReply, a connection per poster
          --thread-replies K    circuits: replies of a few sentences posted before the circuits open the page (default 0)
          --no-baseline         persist: skip the raw SQLite insert baseline
          --baseline-postgres C persist: the baseline is a raw Npgsql insert loop into the PostgreSQL database of
                                connection string C (a table of its own, dropped after), for a node on PostgreSQL
          --post-as-member      persist: post as a member registered for the run, not as --email (a moderator: exempt from
                                the posting limits); with the node's RateLimits on, that measures the limits' cost
          --attackers N         persist: then run again while another member floods the thread on N connections with
                                maximal-nesting and plain replies; reports the posters' ack p99 with and without it
          --restart-command C   reconnect: shell command that restarts the node (without it, restart it by hand when asked)
          --restart-after S     reconnect: seconds into the measured schedule to restart (default a third of --seconds)
          --restart-timeout S   reconnect: how long to wait for the node to go down and for every watcher to be back (60)
          --allow-remote        permit a target that is not this machine

        Exit codes: 0 clean run, 3 ran but something was missed, duplicated or failed, 2 bad command line, 1 could not run.
        """;
}
