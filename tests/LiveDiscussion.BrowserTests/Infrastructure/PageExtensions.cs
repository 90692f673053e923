using LiveDiscussion.TestSupport;
using Microsoft.Playwright;

namespace LiveDiscussion.BrowserTests.Infrastructure;

public static class PageExtensions
{
    /// <summary>Opens a page and waits until its Blazor circuit is connected, so clicks are handled.</summary>
    public static async Task GotoInteractiveAsync(this IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.WaitForInteractiveAsync();
    }

    public static Task WaitForInteractiveAsync(this IPage page) =>
        page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

    /// <summary>Signs in through the sign-in page.</summary>
    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByTestId("signed-in-as").WaitForAsync();
    }

    /// <summary>
    /// Creates an account through the register page, which also signs the browser in. The apps under test leave out
    /// the form's minimum fill time (TestApp, NodeProcess); the trap has tests of its own.
    /// </summary>
    public static async Task RegisterAsync(this IPage page, Uri baseAddress, string displayName)
    {
        await page.GotoAsync(new Uri(baseAddress, "/account/register").ToString());
        await page.GetByLabel("Display name").FillAsync(displayName);
        await page.GetByLabel("Email").FillAsync($"{displayName.ToLowerInvariant()}-{Guid.NewGuid():N}@test.example");
        await page.GetByLabel("Password").FillAsync("browser-password-1");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.GetByTestId("signed-in-as").Filter(new() { HasText = displayName }).WaitForAsync();
    }

    /// <summary>
    /// Where a screenshot goes: into <c>docs/</c> for the README when <c>UPDATE_SCREENSHOTS=1</c>, otherwise beside the
    /// other test output, so an ordinary test run leaves the working tree as it was.
    /// </summary>
    public static string ScreenshotPath(string fileName)
    {
        var folder = Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryRoot(), "docs")
            : Path.Combine(RepositoryRoot(), ".test-artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, fileName);
    }

    public static string RepositoryRoot() => Repository.Root;
}
