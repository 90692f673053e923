using LiveDiscussion.LoadTest.Cli;

namespace LiveDiscussion.LoadTest.Tests;

public class ArgsParserTests
{
    private static LoadOptions ParseScenario(params string[] args) =>
        Assert.IsType<RunScenario>(ArgsParser.Parse(args)).Options;

    private static string Refusal(params string[] args) =>
        Assert.Throws<UsageException>(() => ArgsParser.Parse(args)).Message;

    [Fact]
    public void Fanout_has_the_documented_defaults()
    {
        var options = ParseScenario("fanout", "--url", "http://127.0.0.1:5000");

        Assert.Equal("fanout", options.Scenario);
        Assert.Equal(new Uri("http://127.0.0.1:5000"), options.Url);
        Assert.Equal(2_000, options.Watchers);
        Assert.Null(options.Threads);
        Assert.Equal(25, options.Rate);
        Assert.Equal(10, options.Seconds);
        Assert.Equal(250, options.Posts);
        Assert.Equal(WireProtocol.Json, options.Protocol);
        Assert.Null(options.JsonFile);
        Assert.Null(options.Email);
        Assert.Null(options.BaselineUrl);
        Assert.False(options.AllowRemote);
        Assert.Equal(2, options.WarmUpSeconds);
    }

    [Fact]
    public void Circuits_post_a_reply_a_second_by_default_and_need_an_account_and_one_thread()
    {
        var options = ParseScenario("circuits", "--url", "http://127.0.0.1:5000", "--email", "a@b.c", "--password", "pw");

        Assert.Equal("circuits", options.Scenario);
        Assert.Equal(1, options.Rate);
        Assert.Equal(2_000, options.Watchers);
        Assert.Equal(0, options.ThreadReplies);
        Assert.Equal(30, ParseScenario(
            "circuits", "--url", "http://127.0.0.1:5000", "--email", "a@b.c", "--password", "pw", "--thread-replies", "30").ThreadReplies);
        Assert.Contains("circuits", Refusal("fanout", "--url", "http://127.0.0.1:5000", "--thread-replies", "30"));
        Assert.Contains("--email", Refusal("circuits", "--url", "http://127.0.0.1:5000"));
        Assert.Contains("--threads", Refusal(
            "circuits", "--url", "http://127.0.0.1:5000", "--email", "a@b.c", "--password", "pw", "--threads", "2"));
    }

    [Fact]
    public void Every_option_is_read()
    {
        var options = ParseScenario(
            "fanout", "--url", "http://localhost:5000", "--watchers", "100", "--threads", "3", "--rate", "12.5",
            "--seconds", "4", "--protocol", "messagepack", "--json", "out.json", "--email", "a@b.c", "--password", "pw",
            "--baseline-url", "http://[::1]:5400", "--ramp-step", "10", "--drain-seconds", "2", "--warmup-seconds", "0");

        Assert.Equal(100, options.Watchers);
        Assert.Equal(3, options.Threads);
        Assert.Equal(12.5, options.Rate);
        Assert.Equal(4, options.Seconds);
        Assert.Equal(50, options.Posts);
        Assert.Equal(WireProtocol.MessagePack, options.Protocol);
        Assert.Equal("out.json", options.JsonFile);
        Assert.Equal(("a@b.c", "pw"), (options.Email, options.Password));
        Assert.Equal(new Uri("http://[::1]:5400"), options.BaselineUrl);
        Assert.Equal(10, options.RampStep);
        Assert.Equal(TimeSpan.FromSeconds(2), options.DrainTimeout);
        Assert.Equal(0, options.WarmUpSeconds);
    }

    [Theory]
    [InlineData("--watchers", "0")]
    [InlineData("--watchers", "50001")]
    [InlineData("--watchers", "many")]
    [InlineData("--rate", "0")]
    [InlineData("--rate", "-3")]
    [InlineData("--rate", "NaN")]
    [InlineData("--seconds", "601")]
    [InlineData("--seconds", "1.5")]
    [InlineData("--protocol", "xml")]
    [InlineData("--client", "curl")]
    [InlineData("--post-via", "carrier-pigeon")]
    [InlineData("--threads", "0")]
    [InlineData("--warmup-seconds", "-1")]
    [InlineData("--warmup-seconds", "61")]
    public void Bad_values_are_refused_naming_the_option(string option, string value)
    {
        var message = Refusal("fanout", "--url", "http://127.0.0.1:5000", option, value);
        Assert.Contains(option, message);
    }

    [Fact]
    public void The_raw_client_is_refused_with_messagepack_because_it_speaks_json_only()
    {
        var message = Refusal("fanout", "--url", "http://127.0.0.1:5000", "--client", "raw", "--protocol", "messagepack");
        Assert.Contains("--client raw speaks the JSON protocol only", message);
    }

    [Fact]
    public void Http2_watchers_are_a_flag_and_are_refused_beside_the_bare_hub_which_serves_http1_only()
    {
        Assert.False(ParseScenario("idle", "--url", "http://127.0.0.1:5000").WatchOverHttp2);
        Assert.True(ParseScenario("idle", "--url", "http://127.0.0.1:5000", "--http2").WatchOverHttp2);

        var message = Refusal("fanout", "--url", "http://127.0.0.1:5000", "--http2", "--baseline-url", "http://127.0.0.1:5400");
        Assert.Contains("--http2 does not apply to the bare hub", message);
    }

    [Fact]
    public void Too_many_posts_in_one_run_are_refused_counting_the_warm_up()
    {
        Assert.Contains("at most 100,000", Refusal("fanout", "--url", "http://127.0.0.1:5000", "--rate", "1000", "--seconds", "600"));
        Assert.Contains("at most 100,000", Refusal("fanout", "--url", "http://127.0.0.1:5000", "--rate", "1000", "--seconds", "99"));
        Assert.Equal(99_000, ParseScenario("fanout", "--url", "http://127.0.0.1:5000", "--rate", "1000", "--seconds", "99", "--warmup-seconds", "1").Posts);
    }

    [Theory]
    [InlineData(new[] { "fanout" }, "--url is required")]
    [InlineData(new[] { "fanout", "--url" }, "--url needs a value")]
    [InlineData(new[] { "fanout", "--url", "127.0.0.1:5000" }, "absolute http")]
    [InlineData(new[] { "fanout", "--url", "http://127.0.0.1", "--email", "a@b.c" }, "--email and --password")]
    [InlineData(new[] { "fanout", "--url", "http://127.0.0.1", "--colour", "red" }, "Unknown option '--colour'")]
    [InlineData(new[] { "stampede", "--url", "http://127.0.0.1" }, "Unknown scenario 'stampede'")]
    [InlineData(new[] { "baseline-server" }, "needs --urls")]
    [InlineData(new[] { "persist", "--url", "http://127.0.0.1", "--no-baseline", "--baseline-postgres", "Host=x" }, "--baseline-postgres is persist's baseline")]
    [InlineData(new[] { "fanout", "--url", "http://127.0.0.1", "--baseline-postgres", "Host=x" }, "--baseline-postgres is persist's baseline")]
    [InlineData(new[] { "baseline-server", "--urls", "http://127.0.0.1:1", "--watchers", "5" }, "takes only --urls")]
    public void Malformed_command_lines_are_explained(string[] args, string expected) =>
        Assert.Contains(expected, Refusal(args));

    [Theory]
    [InlineData("http://example.com:5000")]
    [InlineData("http://10.0.0.5:5000")]
    [InlineData("http://0.0.0.0:5000")]
    public void Targets_beyond_loopback_are_refused_unless_allowed(string url)
    {
        Assert.Contains("--allow-remote", Refusal("fanout", "--url", url));
        Assert.Contains("--allow-remote", Refusal("fanout", "--url", "http://127.0.0.1:5000", "--baseline-url", url));

        Assert.Equal(new Uri(url), ParseScenario("fanout", "--url", url, "--allow-remote").Url);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5400")]
    [InlineData("http://localhost:5400")]
    [InlineData("http://[::1]:5400")]
    [InlineData("http://127.0.0.1:5400;http://[::1]:5400")]
    public void Baseline_server_listens_on_loopback(string urls) =>
        Assert.Equal(urls, Assert.IsType<RunBaselineServer>(ArgsParser.Parse(["baseline-server", "--urls", urls])).Urls);

    [Theory]
    [InlineData("http://*:5400")]
    [InlineData("http://+:5400")]
    [InlineData("http://0.0.0.0:5400")]
    [InlineData("http://127.0.0.1:5400;http://192.168.1.2:5400")]
    public void Baseline_server_refuses_other_interfaces_unless_allowed(string urls)
    {
        Assert.Contains("--allow-remote", Refusal("baseline-server", "--urls", urls));
        Assert.IsType<RunBaselineServer>(ArgsParser.Parse(["baseline-server", "--urls", urls, "--allow-remote"]));
    }

    [Theory]
    [InlineData]
    [InlineData("--help")]
    [InlineData("-h")]
    public void No_arguments_or_help_shows_usage(params string[] args) =>
        Assert.IsType<ShowHelp>(ArgsParser.Parse(args));

    [Fact]
    public void Planned_scenarios_parse_but_the_tool_says_they_are_not_built()
    {
        Assert.Equal("idle", ParseScenario("idle", "--url", "http://127.0.0.1:5000").Scenario);
    }
}
