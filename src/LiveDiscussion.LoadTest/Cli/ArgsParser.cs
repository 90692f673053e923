using System.Globalization;

namespace LiveDiscussion.LoadTest.Cli;

/// <summary>
/// Reads the load tool's command line by hand: a scenario name, then <c>--name value</c> pairs and a few bare flags.
/// Every refusal is a <see cref="UsageException"/> naming the option and what it accepts.
/// </summary>
public static class ArgsParser
{
    private static readonly HashSet<string> Flags = ["--allow-remote", "--no-baseline", "--http2", "--post-as-member"];

    private static readonly HashSet<string> ValueOptions =
    [
        "--url", "--urls", "--watchers", "--threads", "--rate", "--seconds", "--protocol", "--client", "--json", "--email",
        "--password", "--baseline-url", "--baseline-postgres", "--ramp-step", "--drain-seconds", "--warmup-seconds", "--watch-url", "--typists",
        "--posters", "--post-via", "--server-pid", "--restart-command", "--restart-after", "--restart-timeout",
        "--thread-replies", "--attackers",
    ];

    public static Command Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            return new ShowHelp();
        }

        var scenario = args[0];
        var (values, flags) = ReadOptions(args.Skip(1).ToList());
        var allowRemote = flags.Contains("--allow-remote");

        if (scenario == ScenarioNames.BaselineServer)
        {
            return ParseBaselineServer(values, allowRemote);
        }

        if (!ScenarioNames.Runnable.Contains(scenario) && !ScenarioNames.Planned.Contains(scenario))
        {
            throw new UsageException(
                $"Unknown scenario '{scenario}'. Scenarios: {string.Join(", ", ScenarioNames.Runnable.Concat(ScenarioNames.Planned))}, or {ScenarioNames.BaselineServer}.");
        }

        if (values.ContainsKey("--urls"))
        {
            throw new UsageException($"--urls belongs to {ScenarioNames.BaselineServer}; a scenario takes --url.");
        }

        var url = RequireUrl(values, "--url", allowRemote)
            ?? throw new UsageException("--url is required: the base URL of a running node, e.g. --url http://127.0.0.1:5000");
        var baselineUrl = RequireUrl(values, "--baseline-url", allowRemote);
        var watchUrl = RequireUrl(values, "--watch-url", allowRemote);

        var email = Get(values, "--email");
        var password = Get(values, "--password");
        if ((email is null) != (password is null))
        {
            throw new UsageException("--email and --password go together: give both or neither.");
        }

        var isClose = scenario == ScenarioNames.Close;
        if (isClose && email is null)
        {
            throw new UsageException(
                $"{ScenarioNames.Close} needs --email and --password of a moderator: closing a thread is a moderator action.");
        }

        if (scenario == ScenarioNames.Circuits && email is null)
        {
            throw new UsageException(
                $"{ScenarioNames.Circuits} needs --email and --password: it starts a thread and posts its replies.");
        }

        var isManyThreads = scenario == ScenarioNames.ManyThreads;
        var defaultRate = isClose ? RunLimits.DefaultCloseRate
            : isManyThreads ? RunLimits.DefaultManyThreadsRate
            : scenario == ScenarioNames.Circuits ? RunLimits.DefaultCircuitsRate
            : RunLimits.DefaultRate;
        var defaultWatchers = isClose ? RunLimits.DefaultCloseWatchers
            : isManyThreads ? RunLimits.DefaultManyThreadsWatchers
            : RunLimits.DefaultWatchers;
        var rate = GetDouble(values, "--rate", defaultRate, min: 0.001, RunLimits.MaxRate);
        var seconds = GetInt(values, "--seconds", RunLimits.DefaultSeconds, 1, RunLimits.MaxSeconds);
        var warmUpSeconds = GetInt(values, "--warmup-seconds", RunLimits.DefaultWarmUpSeconds, 0, RunLimits.MaxWarmUpSeconds);
        if (Math.Round(rate * seconds) < 1)
        {
            throw new UsageException($"--rate {Format(rate)} for --seconds {seconds} schedules no post at all; raise one of them.");
        }

        // typing measures two phases of --seconds each: without typists, then with them; circuits, with circuits and
        // then with hub watchers, each after its own warm-up.
        var phases = scenario is ScenarioNames.Typing or ScenarioNames.Circuits ? 2 : 1;
        var warmUps = scenario == ScenarioNames.Circuits ? 2 : 1;
        var posts = phases * Math.Round(rate * seconds) + warmUps * Math.Round(rate * warmUpSeconds);
        if (posts > RunLimits.MaxPosts)
        {
            throw new UsageException(
                $"--rate {Format(rate)} for --seconds {seconds} (plus --warmup-seconds {warmUpSeconds}) would post {posts:N0} replies; at most {RunLimits.MaxPosts:N0} are allowed in one run.");
        }

        var options = new LoadOptions(
            Scenario: scenario,
            Url: url,
            Watchers: GetInt(values, "--watchers", defaultWatchers, 1, RunLimits.MaxWatchers),
            Threads: values.ContainsKey("--threads") ? GetInt(values, "--threads", 1, 1, RunLimits.MaxThreads) : null,
            Rate: rate,
            Seconds: seconds,
            Protocol: GetProtocol(values),
            JsonFile: Get(values, "--json"),
            Email: email,
            Password: password,
            BaselineUrl: baselineUrl,
            AllowRemote: allowRemote,
            RampStep: GetInt(values, "--ramp-step", RunLimits.DefaultRampStep, 1, RunLimits.MaxRampStep),
            DrainTimeout: TimeSpan.FromSeconds(
                GetInt(values, "--drain-seconds", RunLimits.DefaultDrainSeconds, 1, RunLimits.MaxDrainSeconds)),
            WarmUpSeconds: warmUpSeconds)
        {
            WatchUrl = watchUrl,
            Typists = GetInt(values, "--typists", RunLimits.DefaultTypists, 1, RunLimits.MaxTypists),
            Posters = GetInt(values, "--posters", RunLimits.DefaultPosters, 1, RunLimits.MaxPosters),
            Client = GetClient(values),
            PostVia = GetPostVia(values),
            NoBaseline = flags.Contains("--no-baseline"),
            BaselinePostgres = Get(values, "--baseline-postgres"),
            PostAsMember = flags.Contains("--post-as-member"),
            Attackers = GetInt(values, "--attackers", 0, 0, RunLimits.MaxAttackers),
            WatchOverHttp2 = flags.Contains("--http2"),
            ServerPid = values.ContainsKey("--server-pid") ? GetInt(values, "--server-pid", 0, 1, int.MaxValue) : null,
            RestartCommand = Get(values, "--restart-command"),
            RestartAfterSeconds = values.ContainsKey("--restart-after") ? GetInt(values, "--restart-after", 0, 0, seconds) : null,
            ThreadReplies = GetInt(values, "--thread-replies", 0, 0, RunLimits.MaxThreadReplies),
            RestartTimeout = TimeSpan.FromSeconds(GetInt(
                values, "--restart-timeout", RunLimits.DefaultRestartTimeoutSeconds, 1, RunLimits.MaxRestartTimeoutSeconds)),
        };

        if (scenario == ScenarioNames.ManyThreads && (long)options.Watchers * options.ThreadCount > RunLimits.MaxWatchers)
        {
            throw new UsageException(
                $"{ScenarioNames.ManyThreads} connects --threads x --watchers = {(long)options.Watchers * options.ThreadCount:N0} watchers; at most {RunLimits.MaxWatchers:N0} are allowed.");
        }

        if (scenario != ScenarioNames.Persist && (values.ContainsKey("--attackers") || flags.Contains("--post-as-member")))
        {
            throw new UsageException($"--attackers and --post-as-member belong to {ScenarioNames.Persist}.");
        }

        if (values.ContainsKey("--baseline-postgres") && (scenario != ScenarioNames.Persist || options.NoBaseline))
        {
            throw new UsageException($"--baseline-postgres is {ScenarioNames.Persist}'s baseline; leave out --no-baseline, or leave it out.");
        }

        if (scenario != ScenarioNames.Circuits && values.ContainsKey("--thread-replies"))
        {
            throw new UsageException($"--thread-replies belongs to {ScenarioNames.Circuits}.");
        }

        if (scenario == ScenarioNames.Circuits && options.ThreadCount != 1)
        {
            throw new UsageException($"{ScenarioNames.Circuits} watches one thread; leave out --threads.");
        }

        if (options.WatchOverHttp2 && options.BaselineUrl is not null)
        {
            throw new UsageException(
                "--http2 does not apply to the bare hub, which serves HTTP/1.1 only; leave out --baseline-url or --http2.");
        }

        return new RunScenario(options);
    }

    private static RunBaselineServer ParseBaselineServer(Dictionary<string, string> values, bool allowRemote)
    {
        var urls = Get(values, "--urls")
            ?? throw new UsageException($"{ScenarioNames.BaselineServer} needs --urls, e.g. --urls http://127.0.0.1:5400");
        if (values.Keys.FirstOrDefault(name => name != "--urls") is { } extra)
        {
            throw new UsageException($"{ScenarioNames.BaselineServer} takes only --urls and --allow-remote, not {extra}.");
        }

        if (!allowRemote && !LoopbackGuard.AreAllLoopback(urls))
        {
            throw new UsageException(
                $"--urls {urls} listens beyond this machine; use a loopback address (127.0.0.1, [::1], localhost) or add --allow-remote.");
        }

        return new RunBaselineServer(urls);
    }

    private static (Dictionary<string, string> Values, HashSet<string> Flags) ReadOptions(List<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (Flags.Contains(name))
            {
                flags.Add(name);
            }
            else if (ValueOptions.Contains(name))
            {
                if (i + 1 >= args.Count || IsOptionName(args[i + 1]))
                {
                    throw new UsageException($"{name} needs a value.");
                }

                values[name] = args[++i];
            }
            else
            {
                throw new UsageException($"Unknown option '{name}'. Run with --help for the list.");
            }
        }

        return (values, flags);
    }

    private static bool IsOptionName(string arg) => Flags.Contains(arg) || ValueOptions.Contains(arg);

    private static string? Get(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var value) ? value : null;

    private static Uri? RequireUrl(Dictionary<string, string> values, string name, bool allowRemote)
    {
        if (Get(values, name) is not { } text)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"{name} must be an absolute http or https URL, not '{text}'.");
        }

        if (!allowRemote && !LoopbackGuard.IsLoopback(url))
        {
            throw new UsageException(
                $"{name} {text} is not this machine; load is aimed only at loopback addresses unless you add --allow-remote.");
        }

        return url;
    }

    private static int GetInt(Dictionary<string, string> values, string name, int fallback, int min, int max)
    {
        if (Get(values, name) is not { } text)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"{name} must be a whole number from {min:N0} to {max:N0}, not '{text}'.");
        }

        return value;
    }

    private static double GetDouble(Dictionary<string, string> values, string name, double fallback, double min, double max)
    {
        if (Get(values, name) is not { } text)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value) || value < min || value > max)
        {
            throw new UsageException($"{name} must be a number above 0 and at most {max:N0}, not '{text}'.");
        }

        return value;
    }

    private static PostVia GetPostVia(Dictionary<string, string> values) => Get(values, "--post-via") switch
    {
        null or "api" => PostVia.Api,
        "hub" => PostVia.Hub,
        var other => throw new UsageException($"--post-via must be api or hub, not '{other}'."),
    };

    private static WatcherClient GetClient(Dictionary<string, string> values)
    {
        var client = Get(values, "--client") switch
        {
            null or "hub" => WatcherClient.Hub,
            "raw" => WatcherClient.Raw,
            var other => throw new UsageException($"--client must be hub or raw, not '{other}'."),
        };
        return client == WatcherClient.Raw && GetProtocol(values) != WireProtocol.Json
            ? throw new UsageException("--client raw speaks the JSON protocol only; leave out --protocol or give json.")
            : client;
    }

    private static WireProtocol GetProtocol(Dictionary<string, string> values) => Get(values, "--protocol") switch
    {
        null or "json" => WireProtocol.Json,
        "messagepack" => WireProtocol.MessagePack,
        var other => throw new UsageException($"--protocol must be json or messagepack, not '{other}'."),
    };

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
