using LiveDiscussion.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LiveDiscussion.BrowserTests.Infrastructure;

/// <summary>A test class's own app on a real port and its own browser context (cookies) in the shared Chromium.</summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture browser, bool seedDemo) : IAsyncLifetime
{
    protected TestApp App { get; } = new(seedDemo);

    protected IBrowserContext Context { get; private set; } = default!;

    public async Task InitializeAsync() =>
        Context = await browser.Browser.NewContextAsync(new() { BaseURL = App.BaseAddress.ToString() });

    public async Task DisposeAsync()
    {
        await Context.DisposeAsync();
        App.Dispose();
    }
}
