using System.Collections.Concurrent;
using System.Diagnostics;
using LiveDiscussion.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LiveDiscussion.TestSupport;

/// <summary>
/// A real PostgreSQL server (the machine's PostgreSQL 15) on a free loopback port, in a temp directory, run as the
/// <c>postgres</c> user because PostgreSQL refuses to run as root. The test process shares one
/// (<see cref="SharedAsync"/>), started when first asked for; its template database is migrated once, and each app
/// gets a database of its own copied from it (<see cref="CreateDatabaseAsync"/>), already migrated.
/// </summary>
/// <remarks>
/// fsync is off (a test database need not survive a power cut) but synchronous_commit stays on, so a commit a client
/// heard about has reached the kernel and survives a kill of the server.
/// </remarks>
public sealed class PostgresServer
{
    public const string TemplateDatabase = "ld_template";

    private const string DirectoryPrefix = "livediscussion-pg-";

    private static readonly Lazy<Task<PostgresServer>> Started = new(() => Task.Run(StartAsync));

    private readonly string _directory;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly Lazy<Task> _template;
    private Process? _process;

    private PostgresServer(string binaries, string directory, int port)
    {
        Binaries = binaries;
        _directory = directory;
        Port = port;
        // Migrated by the first app that asks for a database: a test that only needs the server (the load tool's
        // baseline) does not pay for it, nor need EF Core.
        _template = new(CreateTemplateAsync);
    }

    public string Binaries { get; }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>What the server logged last, for a failing test's message.</summary>
    public string Log => string.Join('\n', _log.TakeLast(40));

    /// <summary>The test process's server, started by the first caller.</summary>
    public static Task<PostgresServer> SharedAsync() => Started.Value;

    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Include Error Detail=true";

    /// <summary>A new, migrated database from the template; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        await _template.Value;
        var name = $"ld_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{TemplateDatabase}\"");
        return ConnectionStringFor(name);
    }

    /// <summary>A new database with no tables; its connection string.</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = $"ld_empty_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return ConnectionStringFor(name);
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var binaries = FindBinaries();
        RemoveLeftovers();
        var directory = Path.Combine(Path.GetTempPath(), $"{DirectoryPrefix}{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(directory, "sockets"));
        if (IsRoot)
        {
            await RunAsync("chown", "-R", "postgres:postgres", directory);
        }

        var server = new PostgresServer(binaries, directory, FreePort.Next());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        await RunAsync(AsPostgres(Path.Combine(binaries, "initdb"),
            "-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"));
        server.Start();
        await server.WaitUntilAcceptingAsync();
        return server;
    }

    private void Start()
    {
        string[] commandLine = AsPostgres(Path.Combine(Binaries, "postgres"),
            "-D", DataDirectory, "-p", Port.ToString(), "-k", Path.Combine(_directory, "sockets"),
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
            "-c", "synchronous_commit=on", "-c", "max_connections=300", "-c", "shared_buffers=32MB");
        var start = new ProcessStartInfo(commandLine[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        foreach (var argument in commandLine.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("postgres did not start");
        _process.OutputDataReceived += (_, line) => Keep(line.Data);
        _process.ErrorDataReceived += (_, line) => Keep(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private async Task WaitUntilAcceptingAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres") + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (Exception notYet) when (notYet is NpgsqlException or TimeoutException)
            {
                if (_process!.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"PostgreSQL on port {Port} did not start:\n{Log}", notYet);
                }

                await Task.Delay(50);
            }
        }
    }

    /// <summary>The template every app's database is copied from: migrated once, then closed to connections.</summary>
    private async Task CreateTemplateAsync()
    {
        await ExecuteAsync($"CREATE DATABASE \"{TemplateDatabase}\"");
        var options = new DbContextOptionsBuilder<PostgresDiscussionDbContext>()
            .UseNpgsql(ConnectionStringFor(TemplateDatabase) + ";Pooling=false")
            .Options;
        await using (var db = new PostgresDiscussionDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        // A copy can only be made while nobody is connected to the template.
        await ExecuteAsync($"ALTER DATABASE \"{TemplateDatabase}\" WITH ALLOW_CONNECTIONS false");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// An immediate shutdown (SIGQUIT to the postmaster), then the directory goes, removed by a shell of its own: the
    /// test host may end this process before a server's worth of files is deleted.
    /// </summary>
    private void Stop()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                var postmaster = int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First());
                Signals.AskToQuitNow(postmaster);
                Process.Start("sh", ["-c", $"while kill -0 {postmaster} 2>/dev/null; do sleep 0.05; done; rm -rf '{_directory}'"]);
            }
            else
            {
                Directory.Delete(_directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
            // The process is ending: what is left is removed by a later run (RemoveLeftovers).
        }
    }

    /// <summary>Servers' directories of earlier runs that could not be removed then: old, and no server running there.</summary>
    private static void RemoveLeftovers()
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            try
            {
                var postmasterFile = Path.Combine(directory, "data", "postmaster.pid");
                var running = File.Exists(postmasterFile)
                    && int.TryParse(File.ReadLines(postmasterFile).FirstOrDefault(), out var postmaster)
                    && Directory.Exists($"/proc/{postmaster}");
                if (!running && Directory.GetLastWriteTimeUtc(directory) < DateTime.UtcNow.AddMinutes(-10))
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another run's, still in use or being removed.
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue(line);
            while (_log.Count > 200)
            {
                _log.TryDequeue(out _);
            }
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>The command line that runs <paramref name="program"/> as the postgres user (as is, when not root).</summary>
    private static string[] AsPostgres(string program, params string[] arguments) =>
        IsRoot ? ["runuser", "-u", "postgres", "--", program, .. arguments] : [program, .. arguments];

    private static async Task RunAsync(params string[] commandLine)
    {
        var start = new ProcessStartInfo(commandLine[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in commandLine.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{commandLine[0]} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{string.Join(' ', commandLine)} exited with {process.ExitCode}:\n{await output}\n{await errors}");
        }
    }

    /// <summary>
    /// PostgreSQL's programs: from PATH (the image links PostgreSQL 15's into /usr/local/bin), or Debian's
    /// /usr/lib/postgresql/VERSION/bin, newest first.
    /// </summary>
    private static string FindBinaries()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "initdb"))
            .FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            // initdb finds postgres beside its own real file, so go by the link's target.
            var initdb = new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath;
            return Path.GetDirectoryName(initdb)!;
        }

        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin): apt-get install postgresql, "
            + "or run tests/run.sh, which installs it.");
    }
}
