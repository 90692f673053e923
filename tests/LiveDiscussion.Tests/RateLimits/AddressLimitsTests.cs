using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.RateLimits;

/// <summary>
/// An app of its own: what one address may do is counted over the whole app, and each test uses up one kind of it
/// (registrations, sign-ins, connections) without touching the others.
/// </summary>
public sealed class AddressLimitsTests(AddressLimitsTests.App app) : IClassFixture<AddressLimitsTests.App>
{
    public sealed class App() : TestApp(seedDemo: false, settings: new Dictionary<string, string?>
    {
        ["RateLimits:Enabled"] = "true",
        ["RateLimits:Registrations:PermitLimit"] = "2",
        ["RateLimits:SignIns:PermitLimit"] = "3",
        ["RateLimits:Connections:PermitLimit"] = "3",
    });

    [Fact]
    public async Task Registrations_from_one_address_stop_at_the_limit_on_the_api_and_the_page()
    {
        using var anonymous = app.Anonymous();
        Task<HttpResponseMessage> RegisterAsync() => anonymous.PostAsJsonAsync("/api/auth/register",
            new { email = $"r-{Guid.NewGuid():N}@test.example", password = ApiAccounts.MemberPassword });

        Assert.True((await RegisterAsync()).IsSuccessStatusCode);
        Assert.True((await RegisterAsync()).IsSuccessStatusCode);

        var refused = await RegisterAsync();
        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests,
            "Too many accounts were made from your address. Try again in 60 minutes.");
        Assert.Equal("3600", refused.Headers.GetValues("Retry-After").Single());
        var page = await anonymous.PostAsync("/account/register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "register",
            ["Input.Email"] = $"p-{Guid.NewGuid():N}@test.example",
            ["Input.Password"] = ApiAccounts.MemberPassword,
        }));
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Too many accounts were made from your address. Try again in 60 minutes.", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sign_ins_from_one_address_stop_at_the_limit_on_the_api_and_the_page()
    {
        var person = await app.AccountAsync("signer");
        using var anonymous = app.Anonymous();
        Task<HttpResponseMessage> SignInAsync() => anonymous.PostAsJsonAsync("/api/auth/login?useCookies=false",
            new { email = person.Email, password = TestApp.AccountPassword });

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await SignInAsync()).IsSuccessStatusCode);
        }

        var refused = await SignInAsync();
        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "Too many sign-in attempts from your address. Try again in ");
        Assert.NotNull(refused.Headers.RetryAfter);
        var page = await anonymous.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = person.Email!,
            ["Input.Password"] = TestApp.AccountPassword,
        }));
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
    }

    [Fact]
    public async Task Hub_and_circuit_connections_from_one_address_stop_at_the_limit()
    {
        using var anonymous = app.Anonymous();
        for (var i = 0; i < 3; i++)
        {
            var negotiated = await anonymous.PostAsync($"{DiscussionHubContract.Path}/negotiate?negotiateVersion=1", null);
            Assert.Equal(HttpStatusCode.OK, negotiated.StatusCode);
        }

        var hub = await anonymous.PostAsync($"{DiscussionHubContract.Path}/negotiate?negotiateVersion=1", null);
        await hub.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "Too many connections from your address. Try again in ");
        var circuit = await anonymous.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, circuit.StatusCode);
        // Reading goes on: only new connections are counted.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/threads")).StatusCode);
    }
}
