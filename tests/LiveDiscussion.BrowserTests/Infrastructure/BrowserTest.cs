using LiveDiscussion.TestSupport;
using Microsoft.Playwright;

namespace LiveDiscussion.BrowserTests.Infrastructure;

/// <summary>
/// A test on its class's app (a class fixture: <see cref="EmptyApp"/> or <see cref="DemoApp"/>) on a real port, with
/// its own browser contexts (cookies) in the shared Chromium.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture browser, TestApp app) : IAsyncLifetime
{
    protected TestApp App { get; } = app;

    protected IBrowserContext Context { get; private set; } = default!;

    private readonly List<IBrowserContext> _contexts = [];

    public async Task InitializeAsync() => Context = await NewContextAsync();

    /// <summary>Another person: a context of their own, with their own cookies.</summary>
    protected async Task<IBrowserContext> NewContextAsync()
    {
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = App.BaseAddress.ToString() });
        _contexts.Add(context);
        return context;
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }
}
