using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Spam;

/// <summary>
/// The register page as a robot and as a person send it: the form as served, with its hidden fields, posted back over
/// HTTP with the antiforgery cookie, the way a browser does.
/// </summary>
public sealed partial class RegisterFormTrapTests(RegisterFormTrapTests.TrapApp app) : IClassFixture<RegisterFormTrapTests.TrapApp>
{
    /// <summary>The test apps leave the fill time out, as people are slower than tests; here it is what a site has.</summary>
    public sealed class TrapApp() : TestApp(seedDemo: false, settings: new Dictionary<string, string?>
    {
        ["Spam:RegisterMinFillSeconds"] = "3",
    });

    [Fact]
    public async Task A_form_with_the_hidden_field_filled_creates_nothing_and_says_what_a_person_can_do()
    {
        using var browser = Browser();
        var form = await OpenFormAsync(browser);

        var page = await SendAsync(browser, form, website: "https://spam.example");

        Assert.Contains("No account was created", page);
        Assert.Contains("turn autofill off for this page", page);
        await AssertNoAccountAsync(form.Email);
    }

    [Fact]
    public async Task A_form_sent_back_sooner_than_a_person_could_fill_it_creates_nothing()
    {
        using var browser = Browser();
        var form = await OpenFormAsync(browser);

        var page = await SendAsync(browser, form);

        Assert.Contains("faster than a person can fill it in", page);
        await AssertNoAccountAsync(form.Email);
    }

    [Fact]
    public async Task A_form_whose_time_was_forged_or_left_out_creates_nothing()
    {
        using var browser = Browser();
        var form = await OpenFormAsync(browser);

        Assert.Contains("this form is out of date", await SendAsync(browser, form with { FormToken = "forged" }));
        Assert.Contains("this form is out of date", await SendAsync(browser, form with { FormToken = "" }));
        await AssertNoAccountAsync(form.Email);
    }

    [Fact]
    public async Task A_person_who_takes_a_few_seconds_gets_an_account_and_is_signed_in()
    {
        using var browser = Browser();
        var form = await OpenFormAsync(browser);
        // A person's pace: the form's minimum fill time is 3 seconds by default.
        await Task.Delay(TimeSpan.FromSeconds(3.2));

        using var response = await PostAsync(browser, form, website: "");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        (await app.Anonymous().PostAsJsonAsync("/api/auth/login", new { email = form.Email, password = Password }))
            .EnsureSuccessStatusCode();
    }

    private const string Password = "register-password-1";

    private sealed record ServedForm(string Antiforgery, string FormToken, string Email);

    private HttpClient Browser() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

    private static async Task<ServedForm> OpenFormAsync(HttpClient browser)
    {
        var html = await browser.GetStringAsync("/account/register");
        Assert.Contains("name=\"Input.Website\"", html);
        return new ServedForm(HiddenValue(html, "__RequestVerificationToken"), HiddenValue(html, "Input.FormToken"),
            $"new-{Guid.NewGuid():N}@test.example");
    }

    private static async Task<string> SendAsync(HttpClient browser, ServedForm form, string website = "")
    {
        using var response = await PostAsync(browser, form, website);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient browser, ServedForm form, string website) =>
        browser.PostAsync("/account/register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "register",
            ["__RequestVerificationToken"] = form.Antiforgery,
            ["Input.DisplayName"] = "Newcomer",
            ["Input.Email"] = form.Email,
            ["Input.Password"] = Password,
            ["Input.Website"] = website,
            ["Input.FormToken"] = form.FormToken,
        }));

    private async Task AssertNoAccountAsync(string email)
    {
        using var anonymous = app.Anonymous();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    private static string HiddenValue(string html, string name)
    {
        var match = HiddenInput().Matches(html).FirstOrDefault(m => m.Groups["name"].Value == name);
        Assert.True(match is not null, $"the form has no hidden {name}");
        return WebUtility.HtmlDecode(match.Groups["value"].Value);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInput();
}
