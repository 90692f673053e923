using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Data.Moving;

public static class MoveCommand
{
    public const string Name = "migrate-database";

    private const string Usage = Name + " --to \"Host=...;Database=...;Username=...;Password=...\"";

    /// <summary>
    /// <c>migrate-database --to "CONNECTION STRING"</c> on the command line moves the configured SQLite database into
    /// that PostgreSQL database, checks the copy and exits without starting the server; exit code 0 when the check found
    /// the two equal, 1 when it did not, 2 when the move was refused. Returns false when the arguments ask for no move.
    /// </summary>
    public static async Task<bool> RunMoveDatabaseCommandAsync(this WebApplication app, string[] args)
    {
        if (args is not [Name, .. var options])
        {
            return false;
        }

        Environment.ExitCode = await MoveAsync(app, options);
        return true;
    }

    private static async Task<int> MoveAsync(WebApplication app, string[] options)
    {
        if (TargetOf(options) is not { } target)
        {
            Console.Error.WriteLine($"{Name}: --to is missing: give the PostgreSQL database to move to, as in {Usage}");
            return 2;
        }

        await using var source = await app.Services.GetRequiredService<IDbContextFactory<DiscussionDbContext>>().CreateDbContextAsync();
        if (!source.Database.IsSqlite())
        {
            Console.Error.WriteLine($"{Name}: moves a SQLite database, but {DataExtensions.ProviderKey} is "
                + $"'{app.Configuration[DataExtensions.ProviderKey]}': set it to Sqlite (or leave it out) with "
                + $"{DataExtensions.ConnectionStringKey} naming the SQLite file to move.");
            return 2;
        }

        // Ctrl+C ends the batch in flight (its transaction rolls back), so a second run finds only whole batches.
        using var interrupted = new CancellationTokenSource();
        ConsoleCancelEventHandler stop = (_, press) =>
        {
            press.Cancel = true;
            interrupted.Cancel();
        };
        Console.CancelKeyPress += stop;
        var progress = new ConsoleProgress();
        try
        {
            Console.WriteLine($"Moving {source.Database.GetDbConnection().DataSource} to PostgreSQL.");
            var report = await DatabaseMove.RunAsync(source, target, progress, interrupted.Token);
            progress.Finish();
            foreach (var table in report.Tables)
            {
                Console.WriteLine($"{table.Table}: {table.Copied:N0} copied, {table.AlreadyThere:N0} already there");
            }

            if (report.Ok)
            {
                Console.WriteLine($"Check: OK (row counts of {report.Tables.Count} tables and the seqs of {report.ThreadsChecked:N0} thread(s) "
                    + "are equal on both sides).");
                return 0;
            }

            Console.WriteLine($"Check: {report.Mismatches.Count} mismatch(es):");
            foreach (var mismatch in report.Mismatches)
            {
                Console.WriteLine($"  {mismatch}");
            }

            return 1;
        }
        catch (MoveRefusedException refused)
        {
            progress.Finish();
            Console.Error.WriteLine($"{Name}: {refused.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            progress.Finish();
            Console.Error.WriteLine($"{Name}: interrupted; the rows copied so far stay, run the command again to finish.");
            return 2;
        }
        finally
        {
            Console.CancelKeyPress -= stop;
        }
    }

    /// <summary><c>--to VALUE</c> or <c>--to=VALUE</c>; null when missing or empty.</summary>
    private static string? TargetOf(string[] options)
    {
        for (var i = 0; i < options.Length; i++)
        {
            if (options[i] == "--to" && i + 1 < options.Length)
            {
                return string.IsNullOrWhiteSpace(options[i + 1]) ? null : options[i + 1];
            }

            if (options[i].StartsWith("--to=", StringComparison.Ordinal))
            {
                return string.IsNullOrWhiteSpace(options[i][5..]) ? null : options[i][5..];
            }
        }

        return null;
    }

    /// <summary>
    /// A bar on standard error: on a terminal one line redrawn in place; otherwise (a log, a pipe) a line at every tenth
    /// of the way, as the import command does.
    /// </summary>
    private sealed class ConsoleProgress : IProgress<MoveProgress>
    {
        private const int Width = 30;

        private readonly bool _redraw = !Console.IsErrorRedirected;
        private int _tenths = -1;
        private bool _drawn;

        public void Report(MoveProgress value)
        {
            var percent = (int)(value.Fraction * 100);
            if (_redraw)
            {
                var filled = (int)(value.Fraction * Width);
                Console.Error.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {percent,3}% "
                    + $"{value.RowsDone:N0} of {value.RowsTotal:N0} rows {value.Table,-24}");
                _drawn = true;
            }
            else if (percent / 10 > _tenths)
            {
                _tenths = percent / 10;
                Console.Error.WriteLine($"Copying: {_tenths * 10}% ({value.RowsDone:N0} of {value.RowsTotal:N0} rows{(value.Table == "" ? "" : $", {value.Table}")})");
            }
        }

        /// <summary>Ends the redrawn line, so what follows starts on a line of its own.</summary>
        public void Finish()
        {
            if (_drawn)
            {
                Console.Error.WriteLine();
                _drawn = false;
            }
        }
    }
}
