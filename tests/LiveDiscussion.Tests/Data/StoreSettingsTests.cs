using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Data;

/// <summary>A node whose store settings cannot work refuses to start, and its one line says which key to fix.</summary>
public sealed class StoreSettingsTests
{
    [Fact]
    public void An_unknown_provider_is_refused_naming_the_key_and_the_choices()
    {
        var refused = Refusal(new() { ["Database:Provider"] = "Oracle" });

        Assert.Contains("Database:Provider is 'Oracle': use Sqlite (the default", refused);
        Assert.Contains("or Postgres", refused);
    }

    [Fact]
    public void Postgres_without_a_connection_string_is_refused_naming_the_key()
    {
        var refused = Refusal(new() { ["Database:Provider"] = "postgres", ["ConnectionStrings:Discussion"] = "" });

        Assert.Contains("Database:Provider is Postgres but ConnectionStrings:Discussion is not set", refused);
    }

    [Fact]
    public void A_postgres_server_nobody_answers_at_is_refused_naming_the_key_and_the_address()
    {
        // A port nothing listens on: the connection is refused at once.
        var port = FreePort.Next();

        var refused = Refusal(new()
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Discussion"] = $"Host=127.0.0.1;Port={port};Database=nowhere;Username=nobody",
        });

        Assert.Contains($"ConnectionStrings:Discussion: the PostgreSQL database 'nowhere' at 127.0.0.1:{port} cannot be used", refused);
    }

    private static string Refusal(Dictionary<string, string?> settings) =>
        Assert.ThrowsAny<Exception>(() => new TestApp(seedDemo: false, settings: settings).Dispose()).ToString();
}
