using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveDiscussion.TestSupport;

/// <summary>
/// The real web app on a real Kestrel port with its own SQLite file, as a newcomer would run it, or its own PostgreSQL
/// database (<see cref="TestStore"/>). A test class shares one (<see cref="EmptyApp"/>, <see cref="DemoApp"/>,
/// <see cref="PostgresEmptyApp"/>); <see cref="Restart"/> starts a new process image on the same store.
/// </summary>
public class TestApp : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.example";
    public const string AdminPassword = "admin-password-1";

    private readonly Dictionary<string, string?> _settings;
    private readonly ConcurrentQueue<string>? _logSink;
    private readonly Action<IServiceCollection>? _testServices;
    private readonly IReadOnlyDictionary<string, string?>? _extraSettings;
    private bool _keepDatabase;

    /// <param name="settings">Configuration over the defaults below, set last (e.g. <c>RateLimits:*</c> for the limits'
    /// own tests); <c>environment</c> names the environment (Development unless given).</param>
    /// <param name="store">Where the app keeps its data: a new SQLite file at <paramref name="databasePath"/> (or in
    /// the temp folder) unless given.</param>
    public TestApp(bool seedDemo = true, string? databasePath = null, ConcurrentQueue<string>? logSink = null,
        Action<IServiceCollection>? testServices = null, IReadOnlyDictionary<string, string?>? settings = null,
        TestStore? store = null)
    {
        _extraSettings = settings;
        _logSink = logSink;
        _testServices = testServices;
        Store = store ?? TestStore.Sqlite(databasePath);
        _settings = new Dictionary<string, string?>
        {
            [DataExtensions.ProviderKey] = Store.Provider.ToString(),
            [DataExtensions.ConnectionStringKey] = Store.ConnectionString,
            ["Demo:Seed"] = seedDemo ? "true" : "false",
            ["Admin:Email"] = AdminEmail,
            ["Admin:Password"] = AdminPassword,
            // Tests of other features post and connect far faster than people; the limits' own tests switch them on.
            ["RateLimits:Enabled"] = "false",
            // Likewise the register form's minimum fill time; the trap's own tests give it back.
            ["Spam:RegisterMinFillSeconds"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel(0);
        StartServer();
    }

    public TestStore Store { get; }

    /// <summary>The SQLite file; an app on PostgreSQL has none.</summary>
    public string DatabasePath => Store.DatabasePath;

    public Uri BaseAddress => new(Services.GetRequiredService<IServer>().Features
        .Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1"));

    /// <summary>A new app on the same database, as after a process restart.</summary>
    public TestApp Restart()
    {
        _keepDatabase = true;
        Dispose();
        return new TestApp(seedDemo: _settings["Demo:Seed"] == "true", settings: _extraSettings, store: Store);
    }

    /// <summary>Keeps the database file when this app stops, for another app still using it.</summary>
    public void KeepDatabase() => _keepDatabase = true;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && !_keepDatabase)
        {
            Store.Delete();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_testServices is not null)
        {
            builder.ConfigureTestServices(_testServices);
        }

        if (_logSink is not null)
        {
            builder.UseSetting("Logging:LogLevel:Default", "Trace");
            builder.UseSetting("Logging:LogLevel:Microsoft", "Trace");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
            builder.ConfigureLogging(logging => logging.AddProvider(new SinkLoggerProvider(_logSink)));
        }
    }

    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress };

    /// <summary>Registers a new member through the API and returns a client carrying their bearer token.</summary>
    public Task<HttpClient> MemberAsync(string? name = null) => ApiAccounts.MemberAsync(BaseAddress, name);

    public Task<HttpClient> AdminAsync() => SignedInAsync(AdminEmail, AdminPassword);

    public Task<HttpClient> SignedInAsync(string email, string password) => ApiAccounts.SignedInAsync(BaseAddress, email, password);

    public const string AccountPassword = "account-password-1";

    /// <summary>Creates an account with a display name and roles; it signs in with its e-mail and <see cref="AccountPassword"/>.</summary>
    public async Task<AppUser> AccountAsync(string displayName, params string[] roles)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var email = $"{displayName.ToLowerInvariant()}-{Guid.NewGuid():N}@test.example";
        var user = new AppUser { UserName = email, Email = email, DisplayName = displayName };
        Assert.True((await users.CreateAsync(user, AccountPassword)).Succeeded);
        foreach (var role in roles)
        {
            await users.AddToRoleAsync(user, role);
        }

        return user;
    }

    /// <summary>A principal for calling the services directly, as a page would for a signed-in user.</summary>
    public async Task<ClaimsPrincipal> PrincipalAsync(string displayName, params string[] roles)
    {
        var user = await AccountAsync(displayName, roles);
        using var scope = Services.CreateScope();
        var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>();
        return await factory.CreateAsync(user);
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Keeps every log line, with its exception, so a test can look for what must never be logged.</summary>
    private sealed class SinkLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new SinkLogger(categoryName, sink);

        public void Dispose()
        {
        }

        private sealed class SinkLogger(string category, ConcurrentQueue<string> sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                sink.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
