using System.Net.Http.Json;
using LiveDiscussion.BrowserTests.Infrastructure;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace LiveDiscussion.BrowserTests;

/// <summary>
/// The audit log page lists what every moderator did on the site, so its test has a class, and an app, of its own:
/// the moderation tests' actions would be on it too.
/// </summary>
public sealed class AuditLogPageTests(BrowserFixture browser, EmptyApp app) : BrowserTest(browser, app), IClassFixture<EmptyApp>
{
    [Fact]
    public async Task An_admin_reads_the_audit_log_and_filters_it_by_action()
    {
        using var admin = await App.AdminAsync();
        var thread = await admin.StartThreadAsync("Audited", "Watch the log.");
        (await admin.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest("Audit me"))).EnsureSuccessStatusCode();
        (await admin.PostAsync($"/api/threads/{thread.Id}/reopen", null)).EnsureSuccessStatusCode();

        var page = await Context.NewPageAsync();
        await page.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        await page.GotoInteractiveAsync("/moderation");
        await page.GetByTestId("audit-link").ClickAsync();
        await page.WaitForInteractiveAsync();

        await Expect(page.GetByTestId("audit-row")).ToHaveCountAsync(2);
        await page.GetByLabel("Moderator").FillAsync("adm");
        await page.GetByLabel("Thread id").FillAsync(thread.Id.ToString());
        await page.GetByTestId("audit-search").ClickAsync();
        await Expect(page.GetByTestId("audit-row")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("audit-row").Last).ToContainTextAsync("Audit me");
        await page.GetByLabel("Thread id").FillAsync("999999");
        await page.GetByTestId("audit-search").ClickAsync();
        await Expect(page.GetByTestId("audit-row")).ToHaveCountAsync(0);
    }
}
