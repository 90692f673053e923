using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Accounts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace LiveDiscussion.Tests.Accounts;

/// <summary>
/// Admins appoint and remove moderators through <c>PUT /api/users/{id}/roles</c> and find people through
/// <c>GET /api/users</c>; <c>Admin:Email</c> promotes an existing account only with its own password.
/// </summary>
public sealed class RolesApiTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task An_admin_appoints_a_moderator_who_can_moderate_at_once_on_a_connection_opened_before_and_the_change_is_audited()
    {
        using var admin = await app.AdminAsync();
        using var helper = await app.MemberAsync("Helper");
        var thread = await admin.StartThreadAsync();
        var helperId = (await helper.ReplyAsync(thread.Id, "I could help")).Author.UserId!;
        await using var hub = await HubWatcher.ConnectAsync(app.BaseAddress, helper);

        var refused = await Assert.ThrowsAsync<HubException>(() => hub.Connection.InvokeAsync(DiscussionHubContract.CloseThread, thread.Id, "done"));
        Assert.Contains("Only moderators", refused.Message);

        var appointed = await (await admin.PutAsJsonAsync($"/api/users/{helperId}/roles", new SetRolesRequest(["Moderator"])))
            .ReadAsync<PersonDto>();
        Assert.Equal(["Member", "Moderator"], appointed.Roles);

        await hub.Connection.InvokeAsync(DiscussionHubContract.CloseThread, thread.Id, "done");
        Assert.Equal(ThreadState.Closed, (await helper.GetThreadAsync(thread.Id)).State);
        var audit = await (await admin.GetAsync("/api/moderation/audit?action=change-roles")).ReadAsync<List<AuditEntryDto>>();
        Assert.Contains(audit, a => a.TargetUserId == helperId && a.Reason == "member → Moderator");

        var removed = await (await admin.PutAsJsonAsync($"/api/users/{helperId}/roles", new SetRolesRequest([])))
            .ReadAsync<PersonDto>();
        Assert.Equal(["Member"], removed.Roles);
        refused = await Assert.ThrowsAsync<HubException>(() => hub.Connection.InvokeAsync(DiscussionHubContract.ReopenThread, thread.Id));
        Assert.Contains("Only moderators", refused.Message);
    }

    [Fact]
    public async Task Only_admins_change_roles_and_an_unknown_role_or_person_is_refused_and_changes_nothing()
    {
        using var admin = await app.AdminAsync();
        using var member = await app.MemberAsync();
        var memberId = (await member.ReplyAsync((await admin.StartThreadAsync()).Id, "hi")).Author.UserId!;
        var moderatorUser = await app.AccountAsync("Mod", Roles.Moderator);
        using var moderator = await app.SignedInAsync(moderatorUser.Email!, TestApp.AccountPassword);

        await (await admin.PutAsJsonAsync($"/api/users/{memberId}/roles", new SetRolesRequest(["Moderator", "Overlord"])))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "'Overlord' is not a role: give Moderator, Admin, or both.");
        await (await admin.PutAsJsonAsync($"/api/users/{memberId}/roles", new { }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "Give roles");
        await (await moderator.PutAsJsonAsync($"/api/users/{memberId}/roles", new SetRolesRequest(["Moderator"])))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only admins can appoint or remove moderators.");
        await (await member.PutAsJsonAsync($"/api/users/{memberId}/roles", new SetRolesRequest(["Admin"])))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only admins can appoint or remove moderators.");
        await (await admin.PutAsJsonAsync("/api/users/nobody/roles", new SetRolesRequest(["Moderator"])))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "User not found");

        var found = await (await admin.GetAsync($"/api/users?search={Uri.EscapeDataString(moderatorUser.Email!)}")).ReadAsync<PeoplePageDto>();
        Assert.Equal(["Member", "Moderator"], found.People.Single().Roles);
        await (await member.PostAsJsonAsync($"/api/threads/{(await admin.StartThreadAsync()).Id}/close", new CloseThreadRequest(null)))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only moderators");
    }

    [Fact]
    public async Task Admins_find_people_by_name_or_address_a_page_at_a_time_with_roles_and_suspension()
    {
        using var admin = await app.AdminAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var people = new List<AppUser>();
        for (var i = 0; i < 27; i++)
        {
            people.Add(await app.AccountAsync($"Finder{tag}{i:00}"));
        }

        (await admin.PostAsJsonAsync($"/api/users/{people[0].Id}/suspend", new SuspendUserRequest(null, "Spam"))).EnsureSuccessStatusCode();

        var first = await (await admin.GetAsync($"/api/users?search=finder{tag}")).ReadAsync<PeoplePageDto>();
        var second = await (await admin.GetAsync($"/api/users?search=finder{tag}&page=2")).ReadAsync<PeoplePageDto>();
        Assert.Equal(27, first.Total);
        Assert.Equal(25, first.People.Count);
        Assert.Equal(2, second.People.Count);
        Assert.Equal("Spam", first.People[0].SuspensionReason);
        Assert.Equal(DateTimeOffset.MaxValue, first.People[0].SuspendedUntil);
        Assert.Null(first.People[1].SuspendedUntil);
        var byAddress = await (await admin.GetAsync($"/api/users?search={Uri.EscapeDataString(people[5].Email!)}")).ReadAsync<PeoplePageDto>();
        Assert.Equal(people[5].Id, byAddress.People.Single().Id);

        using var member = await app.MemberAsync();
        await (await member.GetAsync("/api/users")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only admins can see people.");
    }

    [Fact]
    public async Task Admin_Email_promotes_an_existing_account_only_when_Admin_Password_is_its_password()
    {
        var email = $"early-{Guid.NewGuid():N}@test.example";
        using var anonymous = app.Anonymous();
        (await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = "squatter-password" })).EnsureSuccessStatusCode();
        var log = new ConcurrentQueue<string>();
        using var logger = new ListLogger(log);

        await AccountsExtensions.SeedAccountsAsync(app.Services, Settings(email, "operator-password"), logger);

        using var squatter = await app.SignedInAsync(email, "squatter-password");
        await (await squatter.GetAsync("/api/users")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only admins");
        Assert.Contains(log, line => line.StartsWith("Error:") && line.Contains("Admin:Password is not its password"));

        await AccountsExtensions.SeedAccountsAsync(app.Services, Settings(email, "squatter-password"), logger);

        Assert.Equal(HttpStatusCode.OK, (await squatter.GetAsync("/api/users")).StatusCode);
    }

    private static IConfiguration Settings(string email, string password) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Admin:Email"] = email, ["Admin:Password"] = password })
        .Build();

    private sealed class ListLogger(ConcurrentQueue<string> lines) : ILogger, IDisposable
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}");

        public void Dispose()
        {
        }
    }
}
