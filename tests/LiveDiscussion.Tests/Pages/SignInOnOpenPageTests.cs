using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Bunit;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Accounts;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveDiscussion.Tests.Pages;

/// <summary>
/// An open thread page (a circuit) follows its reader's sign-in as it changes elsewhere: a role taken away, a
/// suspension, a sign-out in another tab. The page is the app's own, its sign-in the app's own provider, and the
/// change is made through the API or the sign-out form, as people make it.
/// </summary>
public sealed class SignInOnOpenPageTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task A_moderator_whose_role_is_removed_loses_the_moderator_controls_on_the_open_page_at_once()
    {
        using var admin = await app.AdminAsync();
        using var member = await app.MemberAsync("Louise");
        var thread = await admin.StartThreadAsync();
        var reply = await member.ReplyAsync(thread.Id, "Something to moderate");
        var moderator = await app.PrincipalAsync("Mod", Roles.Moderator);
        await using var page = await RenderedThreadPage.OpenAsync(app, thread.Id, thread.Slug, reader: moderator);
        Assert.NotEmpty(page.Page.FindAll(".moderator-tools"));
        Assert.NotEmpty(page.Page.FindAll($"#reply-{reply.Id} [data-testid=hide-button]"));

        (await admin.PutAsJsonAsync($"/api/users/{UserId(moderator)}/roles", new SetRolesRequest([]))).EnsureSuccessStatusCode();

        await page.WaitForAsync(() =>
        {
            Assert.Empty(page.Page.FindAll(".moderator-tools"));
            Assert.Empty(page.Page.FindAll($"#reply-{reply.Id} [data-testid=hide-button]"));
            Assert.Empty(page.Page.FindAll($"#reply-{reply.Id} [data-testid=delete-button]"));
            Assert.Empty(page.Page.FindAll($"#reply-{reply.Id} [data-testid=suspend-button]"));
        });
        Assert.NotEmpty(page.Page.FindAll($"#reply-{reply.Id} [data-testid=reply-button]"));
    }

    [Fact]
    public async Task A_suspended_member_s_open_composer_says_so_and_cannot_send()
    {
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync();
        var reader = await app.PrincipalAsync("Troll");
        await using var page = await RenderedThreadPage.OpenAsync(app, thread.Id, thread.Slug, reader: reader);
        await page.Page.Find("[data-testid=reply-to-post]").ClickAsync(new());
        await page.WaitForAsync(() => Assert.NotEmpty(page.Page.FindAll("[data-testid=composer]")));

        (await admin.PostAsJsonAsync($"/api/users/{UserId(reader)}/suspend", new SuspendUserRequest(null, "Insults"))).EnsureSuccessStatusCode();

        await page.WaitForAsync(() => Assert.Contains(
            "Your account is suspended until further notice: Insults You can still read.",
            page.Page.Find("[data-testid=composer-suspended]").TextContent));
        Assert.True(page.Page.Find("[data-testid=composer-send]").HasAttribute("disabled"));
        Assert.Empty(page.Page.FindAll("[data-testid=reply-button]"));
    }

    [Fact]
    public async Task Signing_out_in_one_tab_signs_the_other_open_page_of_that_browser_out_at_once()
    {
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync();
        var account = await app.AccountAsync("Leaver");
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = app.BaseAddress };
        (await browser.PostAsJsonAsync("/api/auth/login?useCookies=true", new { email = account.Email, password = TestApp.AccountPassword }))
            .EnsureSuccessStatusCode();
        // The page's circuit holds exactly what the browser's cookie says, as a circuit started from that browser would.
        var ticket = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(IdentityConstants.ApplicationScheme).TicketDataFormat
            .Unprotect(cookies.GetCookies(app.BaseAddress)[".AspNetCore.Identity.Application"]!.Value)!;
        await using var page = await RenderedThreadPage.OpenAsync(app, thread.Id, thread.Slug, reader: ticket.Principal);
        Assert.NotEmpty(page.Page.FindAll("[data-testid=reply-to-post]"));

        var home = await browser.GetStringAsync("/");
        var token = Regex.Match(home, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        (await browser.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["returnUrl"] = "/",
        }))).EnsureSuccessStatusCode();

        await page.WaitForAsync(() => Assert.NotEmpty(page.Page.FindAll("[data-testid=sign-in-to-reply]")));
        Assert.Empty(page.Page.FindAll("[data-testid=reply-to-post]"));
    }

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier)!;
}
