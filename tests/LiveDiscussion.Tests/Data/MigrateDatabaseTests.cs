using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Data.Moving;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Tests.Data;

/// <summary>
/// <c>migrate-database --to</c>, run as an operator runs it (the built app as a process), moving a SQLite site of real
/// size (the demo thread, a generated 2,000-reply thread, replies, a close and a report made through the API) into
/// PostgreSQL.
/// </summary>
public sealed class MigrateDatabaseTests(MigrateDatabaseTests.SqliteSite site) : IClassFixture<MigrateDatabaseTests.SqliteSite>
{
    [Fact]
    public async Task Moves_the_site_so_an_app_on_PostgreSQL_serves_the_same_threads_and_a_second_run_changes_nothing()
    {
        var server = await PostgresServer.SharedAsync();
        // A database that does not exist yet: the command creates and migrates it.
        var target = server.ConnectionStringFor($"ld_move_{Guid.NewGuid():N}");

        var first = await MoveAsync("--to", target);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("Check: OK", first.StandardOutput);
        Assert.Contains($"Replies: {site.Replies:N0} copied, 0 already there", first.StandardOutput);
        Assert.Contains("100%", first.StandardError);

        var second = await MoveAsync("--to", target);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("Check: OK", second.StandardOutput);
        Assert.Contains($"Replies: 0 copied, {site.Replies:N0} already there", second.StandardOutput);
        Assert.DoesNotMatch(@": [1-9][\d,]* copied", second.StandardOutput);

        using var app = new TestApp(seedDemo: true, store: new TestStore(StoreProvider.Postgres, target));
        using var reader = app.Anonymous();
        foreach (var (threadId, asServed) in site.ThreadsAsServed)
        {
            Assert.Equal(asServed, await ThreadAsServedAsync(reader, threadId));
        }

        // The member's sign-in came along (accounts and Data Protection keys), and the ids and seqs go on after the
        // copied ones.
        using var member = app.Anonymous();
        member.DefaultRequestHeaders.Authorization = site.MemberToken;
        var next = await member.ReplyAsync(site.BigThreadId, "Posted after the move.");
        Assert.True(next.Id > site.HighestReplyId, $"reply id {next.Id} after {site.HighestReplyId}");
        Assert.Equal(site.BigThreadLatestSeq + 1, (await member.EventsAfterAsync(site.BigThreadId, site.BigThreadLatestSeq)).Events.Single().Seq);
    }

    [Fact]
    public async Task A_target_holding_other_rows_is_refused_naming_the_table_and_nothing_is_written()
    {
        var target = await TestStore.PostgresAsync();
        await using (var db = target.CreateContext())
        {
            db.Threads.Add(new DiscussionThread
            {
                Id = 900_001,
                Title = "Someone else's",
                Slug = "someone-elses",
                Body = "Not from this site.",
                AuthorName = "Stranger",
                CreatedAt = DateTimeOffset.UtcNow,
                LastActivityAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var refused = await MoveAsync("--to", target.ConnectionString);

        Assert.True(refused.ExitCode == 2, refused.Output);
        Assert.Contains("already holds rows in Threads that are not in the SQLite database (the first: Id=900001)", refused.StandardError);
        await using (var db = target.CreateContext())
        {
            Assert.Equal(0, await db.Users.CountAsync());
            Assert.Equal(1, await db.Threads.CountAsync());
        }
    }

    [Theory]
    [InlineData("", "--to is missing")]
    [InlineData("unreachable", "--to: cannot reach PostgreSQL at 127.0.0.1:")]
    public async Task Bad_input_gets_one_clear_line_and_a_nonzero_exit(string target, string expected)
    {
        string[] arguments = target == "unreachable"
            ? ["--to", $"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Database=nowhere;Timeout=5"]
            : [];

        var refused = await MoveAsync(arguments);

        Assert.True(refused.ExitCode == 2, refused.Output);
        var line = Assert.Single(refused.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"migrate-database: {expected}", line);
    }

    [Theory]
    [InlineData("nul", "Replies row Id=1: Body holds a NUL character, which PostgreSQL cannot store")]
    [InlineData("long", "Replies row Id=1: AuthorEmail is 321 characters long, and PostgreSQL takes at most 320 there")]
    public async Task A_text_PostgreSQL_would_refuse_stops_the_move_naming_table_row_and_column(string text, string expected)
    {
        var source = TestStore.Sqlite();
        try
        {
            await using var db = source.CreateContext();
            await db.Database.MigrateAsync();
            var thread = new DiscussionThread
            {
                Title = "Odd text",
                Slug = "odd-text",
                Body = "Its post.",
                AuthorName = "Someone",
                CreatedAt = DateTimeOffset.UtcNow,
                LastActivityAt = DateTimeOffset.UtcNow,
            };
            db.Threads.Add(thread);
            db.Replies.Add(new Reply
            {
                Thread = thread,
                AuthorName = "Guest",
                Body = text == "nul" ? "Half\0way" : "Fine.",
                AuthorEmail = text == "long" ? new string('a', 309) + "@example.com" : null,
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();

            var target = await TestStore.PostgresAsync();
            var refused = await Assert.ThrowsAsync<MoveRefusedException>(() => DatabaseMove.RunAsync(db, target.ConnectionString));

            Assert.StartsWith(expected, refused.Message);
            await using var moved = target.CreateContext();
            Assert.Equal(1, await moved.Threads.CountAsync());
            Assert.Equal(0, await moved.Replies.CountAsync());
        }
        finally
        {
            source.Delete();
        }
    }

    /// <summary>The thread's API answers as a reader gets them: the thread with its first replies, then every page after.</summary>
    private static async Task<List<string>> ThreadAsServedAsync(HttpClient reader, long threadId)
    {
        var pages = new List<string> { await reader.GetStringAsync($"/api/threads/{threadId}") };
        var next = After(pages[0], "nextRepliesAfter");
        while (next is { } after)
        {
            pages.Add(await reader.GetStringAsync($"/api/threads/{threadId}/replies?after={after}"));
            next = After(pages[^1], "nextAfter");
        }

        return pages;

        static long? After(string page, string property) =>
            JsonDocument.Parse(page).RootElement.TryGetProperty(property, out var after) && after.ValueKind == JsonValueKind.Number
                ? after.GetInt64()
                : null;
    }

    private sealed record CommandRun(int ExitCode, string StandardOutput, string StandardError)
    {
        public string Output => $"exit {ExitCode}\n{StandardOutput}\n{StandardError}";
    }

    /// <summary><c>dotnet LiveDiscussion.Web.dll migrate-database ARGUMENTS</c> on the site's SQLite file.</summary>
    private async Task<CommandRun> MoveAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "LiveDiscussion.Web.dll"), "migrate-database" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ConnectionStrings__Discussion"] = $"Data Source={site.DatabasePath}";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Demo__Seed"] = "false";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("the command did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"migrate-database did not exit within 60 s:\n{await output}\n{await errors}");
        }

        return new CommandRun(process.ExitCode, await output, await errors);
    }

    /// <summary>
    /// The site to move: a SQLite file written by the real app, then closed, with what the API served from it.
    /// </summary>
    public sealed class SqliteSite : IAsyncLifetime
    {
        public string DatabasePath { get; private set; } = "";

        public long BigThreadId { get; private set; }

        public long BigThreadLatestSeq { get; private set; }

        public long HighestReplyId { get; private set; }

        public int Replies { get; private set; }

        public AuthenticationHeaderValue? MemberToken { get; private set; }

        public Dictionary<long, List<string>> ThreadsAsServed { get; } = [];

        public async Task InitializeAsync()
        {
            using var app = new TestApp(seedDemo: true);
            DatabasePath = app.DatabasePath;
            var big = await BigThread.WriteAsync(app, BigThreadShape.TwoThousandReplies);
            BigThreadId = big.Id;

            using var member = await app.MemberAsync("Mover");
            using var reporter = await app.MemberAsync("Reporter");
            using var admin = await app.AdminAsync();
            var first = await member.ReplyAsync(big.Id, "Before the move, at the top.");
            await member.ReplyAsync(big.Id, "Before the move, an answer.", parentReplyId: first.Id);
            (await reporter.PostAsJsonAsync($"/api/replies/{big.Replies[0].Id}/flags", new FlagReplyRequest(FlagReasons.OffTopic), Api.Json))
                .EnsureSuccessStatusCode();
            var closing = await member.StartThreadAsync("Moving day", "What comes along?");
            await member.ReplyAsync(closing.Id, "Everything, I hope.");
            (await admin.PostAsJsonAsync($"/api/threads/{closing.Id}/close", new CloseThreadRequest("Moved."), Api.Json))
                .EnsureSuccessStatusCode();
            MemberToken = member.DefaultRequestHeaders.Authorization;

            using var reader = app.Anonymous();
            foreach (var thread in await reader.ListThreadsAsync())
            {
                ThreadsAsServed[thread.Id] = await ThreadAsServedAsync(reader, thread.Id);
            }

            BigThreadLatestSeq = (await reader.GetThreadAsync(big.Id)).LatestSeq;
            await using var db = app.Store.CreateContext();
            HighestReplyId = await db.Replies.MaxAsync(r => r.Id);
            Replies = await db.Replies.CountAsync();
            app.KeepDatabase();
        }

        public Task DisposeAsync()
        {
            TestStore.Sqlite(DatabasePath).Delete();
            return Task.CompletedTask;
        }
    }
}
