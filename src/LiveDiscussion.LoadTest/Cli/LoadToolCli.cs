using LiveDiscussion.LoadTest.Baseline;
using LiveDiscussion.LoadTest.Client;
using LiveDiscussion.LoadTest.Reporting;
using LiveDiscussion.LoadTest.Scenarios;

namespace LiveDiscussion.LoadTest.Cli;

/// <summary>The whole tool behind <c>Main</c>, taking its writers and token so tests can run it in-process.</summary>
public static class LoadToolCli
{
    public const int Clean = 0;
    public const int CouldNotRun = 1;
    public const int BadCommandLine = 2;
    public const int Unclean = 3;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        // Progress lines come from a timer thread while the run writes too.
        output = TextWriter.Synchronized(output);
        Command command;
        try
        {
            command = ArgsParser.Parse(args);
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return BadCommandLine;
        }

        switch (command)
        {
            case ShowHelp:
                await output.WriteLineAsync(Usage.Text);
                return Clean;
            case RunBaselineServer server:
                return await RunBaselineServerAsync(server.Urls, output, error, ct);
            case RunScenario { Options: var options } when !ScenarioNames.Runnable.Contains(options.Scenario):
                await error.WriteLineAsync($"The {options.Scenario} scenario is not built yet; this version runs: {string.Join(", ", ScenarioNames.Runnable)}.");
                return BadCommandLine;
            case RunScenario { Options: var options }:
                return await RunScenarioAsync(options, output, error, ct);
            default:
                throw new InvalidOperationException($"Unhandled command {command}.");
        }
    }

    private static async Task<int> RunBaselineServerAsync(string urls, TextWriter output, TextWriter error, CancellationToken ct)
    {
        try
        {
            await BaselineServer.RunAsync(urls, output, ct);
            return Clean;
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"baseline-server could not listen: {ex.Message}");
            return CouldNotRun;
        }
    }

    private static async Task<int> RunScenarioAsync(LoadOptions options, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ScenarioResult result;
        try
        {
            result = options.Scenario switch
            {
                ScenarioNames.Close => await CloseScenario.RunAsync(options, output, ct),
                ScenarioNames.Persist => await PersistScenario.RunAsync(options, output, ct),
                ScenarioNames.Circuits => await CircuitsScenario.RunAsync(options, output, ct),
                _ => await FanoutScenario.RunAsync(options, output, ct),
            };

            if (options.BaselineUrl is { } baselineUrl)
            {
                if (BaselineNotApplicable(options.Scenario) is { } why)
                {
                    output.WriteLine($"baseline: {why} (the bare hub at {baselineUrl}); not run");
                }
                else
                {
                    output.WriteLine($"baseline: the same load against the bare hub at {baselineUrl}");
                    result = result.WithBaseline(await FanoutScenario.RunAsync(options.ForBaseline(baselineUrl), output, ct));
                }
            }
        }
        catch (Exception ex) when (ex is LoadRunException or HttpRequestException or Microsoft.Data.Sqlite.SqliteException)
        {
            await error.WriteLineAsync($"{options.Scenario} could not run: {ex.Message}");
            return CouldNotRun;
        }

        ResultTable.Write(output, result);
        if (options.JsonFile is { } path)
        {
            await ResultJson.WriteAsync(path, result, ct);
            output.WriteLine($"results written to {path}");
        }

        return result.IsClean && result.Baseline?.IsClean != false ? Clean : Unclean;
    }

    /// <summary>Why --baseline-url does not apply to a scenario, or null when it does.</summary>
    public static string? BaselineNotApplicable(string scenario) => scenario switch
    {
        ScenarioNames.Close => $"does not apply to {ScenarioNames.Close}: the bare hub has no close",
        ScenarioNames.Persist => $"{ScenarioNames.Persist} compares with a raw SQLite insert loop instead, run by the tool itself",
        ScenarioNames.Reconnect => $"does not apply to {ScenarioNames.Reconnect}: restarting the bare hub loses its state",
        ScenarioNames.Circuits => $"does not apply to {ScenarioNames.Circuits}: the bare hub serves no pages; the run compares circuits with hub watchers instead",
        _ => null,
    };
}
