using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveDiscussion.BrowserTests.Infrastructure;

/// <summary>
/// Watches one page's Blazor circuit from the browser's side: what the console says, how its WebSockets close, what
/// the server's last messages on them say, and which requests failed. A circuit the server closes shows the reader
/// only a "Rejoining the server..." dialog (or nothing, if the page reloads itself), so tests ask this what went wrong.
/// </summary>
public sealed partial class CircuitWatch
{
    private readonly IPage _page;
    private readonly Func<string> _serverLog;
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentQueue<string> _failedRequests = new();
    private readonly ConcurrentQueue<string> _loaded = new();
    private readonly ConcurrentQueue<string> _policyViolations = new();
    private readonly ConcurrentQueue<string> _documentPolicies = new();

    private CircuitWatch(IPage page, Func<string> serverLog)
    {
        _page = page;
        _serverLog = serverLog;
        page.Console += (_, message) =>
        {
            // Chromium reports everything a page's policy blocks as a console error naming the policy.
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                _policyViolations.Enqueue(message.Text);
            }

            if (message.Type is "error" or "warning")
            {
                _problems.Enqueue($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => _problems.Enqueue($"page error: {error}");
        page.RequestFailed += (_, request) => _failedRequests.Enqueue($"{request.Url}: {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Request.IsNavigationRequest && response.Headers.TryGetValue("content-security-policy", out var policy))
            {
                _documentPolicies.Enqueue(policy);
            }

            if (response.Status >= 400)
            {
                _failedRequests.Enqueue($"{response.Url}: {response.Status}");
            }
            else
            {
                _loaded.Enqueue(response.Url);
            }
        };
        page.WebSocket += (_, socket) =>
        {
            socket.FrameReceived += (_, frame) =>
            {
                // SignalR's close message carries the reason; Blazor's protocol is MessagePack, so it is read as bytes.
                var text = frame.Text ?? (frame.Binary is { } bytes ? Encoding.UTF8.GetString(bytes) : "");
                if (text.Contains("closed with an error", StringComparison.OrdinalIgnoreCase)
                    || text.Contains("maximum message size", StringComparison.OrdinalIgnoreCase))
                {
                    _problems.Enqueue($"websocket {socket.Url} received: {Printable(text)}");
                }
            };
            socket.Close += (_, _) => _problems.Enqueue($"websocket {socket.Url} closed");
            socket.SocketError += (_, error) => _problems.Enqueue($"websocket {socket.Url} error: {error}");
        };
    }

    /// <summary>Starts watching before the page loads anything; <paramref name="serverLog"/> goes into failure messages.</summary>
    public static CircuitWatch Attach(IPage page, Func<string>? serverLog = null) => new(page, serverLog ?? (() => ""));

    public IReadOnlyCollection<string> Problems => [.. _problems];

    /// <summary>
    /// Opens the address directly (no click from another page) and waits until its circuit is connected; fails as
    /// soon as the circuit fails instead of waiting out the timeout.
    /// </summary>
    public async Task OpenAsync(string url, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        await _page.GotoAsync(url);
        var interactive = _page.Locator("[data-interactive=true]");
        while (await interactive.CountAsync() == 0)
        {
            Assert.True(_problems.IsEmpty && DateTime.UtcNow < deadline, $"{url} never became interactive.\n{Report()}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Waits <paramref name="period"/>, then asserts the reconnect dialog is not up, no WebSocket closed, and nothing
    /// said the circuit failed.
    /// </summary>
    public async Task AssertStaysConnectedAsync(TimeSpan period)
    {
        await Task.Delay(period);
        var dialog = _page.Locator("#components-reconnect-modal");
        Assert.False(await dialog.IsVisibleAsync(), $"The reconnect dialog shows \"{await DialogTextAsync(dialog)}\".\n{Report()}");
        await Expect(_page.Locator("[data-interactive=true]")).ToHaveCountAsync(1);
        AssertNoCircuitProblems();
    }

    public void AssertNoCircuitProblems() =>
        Assert.True(_problems.IsEmpty, $"The circuit had trouble.\n{Report()}");

    /// <summary>
    /// The stylesheets and scripts the layout links loaded (outside Development they come from the publish output
    /// only), and no request for anything failed.
    /// </summary>
    public void AssertStaticAssetsLoaded()
    {
        Assert.True(_failedRequests.IsEmpty, $"Requests failed:\n{string.Join('\n', _failedRequests)}");
        foreach (var asset in new[] { MudBlazorCss(), MudBlazorJs(), SiteCss(), ScopedCss(), BlazorWebJs() })
        {
            Assert.True(_loaded.Any(asset.IsMatch), $"Nothing matching {asset} loaded. Loaded:\n{string.Join('\n', _loaded)}");
        }
    }

    /// <summary>
    /// The page came with a Content-Security-Policy that restricts scripts (no <c>'unsafe-eval'</c> or
    /// <c>'unsafe-inline'</c> for them), and the browser blocked nothing under it.
    /// </summary>
    public void AssertContentSecurityPolicyHeldWithoutViolations()
    {
        var policies = _documentPolicies.Select(policy => NoncePattern().Replace(policy, "'nonce-…'")).Distinct().ToList();
        Assert.True(policies.Count == 1, $"Expected one policy on the page's documents, got {policies.Count}: {string.Join(" | ", policies)}");
        var scripts = policies[0].Split(';', StringSplitOptions.TrimEntries)
            .SingleOrDefault(directive => directive.StartsWith("script-src ", StringComparison.Ordinal));
        Assert.True(scripts is not null && !scripts.Contains("unsafe", StringComparison.Ordinal),
            $"The page's policy does not restrict scripts: {policies[0]}");
        Assert.True(_policyViolations.IsEmpty,
            $"The browser reported violations of \"{policies[0]}\":\n{string.Join('\n', _policyViolations)}");
    }

    private static async Task<string> DialogTextAsync(ILocator dialog) =>
        Regex.Replace(await dialog.InnerTextAsync(), @"\s+", " ").Trim();

    private string Report()
    {
        var serverLines = _serverLog().Split('\n')
            .Where(line => line.Contains("maximum message size", StringComparison.OrdinalIgnoreCase)
                || line.Contains("circuit", StringComparison.OrdinalIgnoreCase) && line.Contains("fail", StringComparison.OrdinalIgnoreCase)
                || line.Contains("exception", StringComparison.OrdinalIgnoreCase))
            .Take(20);
        return $"Browser:\n{string.Join('\n', _problems.Take(30))}\nFailed requests:\n{string.Join('\n', _failedRequests.Take(20))}"
            + $"\nServer log:\n{string.Join('\n', serverLines)}";
    }

    private static string Printable(string text)
    {
        var printable = Regex.Replace(text, @"[^\x20-\x7E]+", " ").Trim();
        return printable.Length > 400 ? printable[..400] + "…" : printable;
    }

    [GeneratedRegex(@"'nonce-[^']+'")]
    private static partial Regex NoncePattern();

    // Fingerprinted names (MudBlazor.min.abc123.css) as MapStaticAssets serves them, or plain ones.
    [GeneratedRegex(@"/_content/MudBlazor/MudBlazor\.min(\.[a-z0-9]+)?\.css")]
    private static partial Regex MudBlazorCss();

    [GeneratedRegex(@"/_content/MudBlazor/MudBlazor\.min(\.[a-z0-9]+)?\.js")]
    private static partial Regex MudBlazorJs();

    [GeneratedRegex(@"/site(\.[a-z0-9]+)?\.css")]
    private static partial Regex SiteCss();

    [GeneratedRegex(@"/LiveDiscussion\.Web(\.[a-z0-9]+)?\.styles\.css")]
    private static partial Regex ScopedCss();

    [GeneratedRegex(@"/_framework/blazor\.web(\.[a-z0-9]+)?\.js")]
    private static partial Regex BlazorWebJs();
}
