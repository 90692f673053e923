using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Accounts;

namespace LiveDiscussion.Tests.Accounts;

/// <summary>
/// Moderators act against members only; only admins act against moderators, and only another admin against an admin;
/// the last admin who is not suspended stays one. No test here makes anyone admin except the last-admin test, which
/// needs the seeded admin to be the only one when it starts.
/// </summary>
public sealed class RankRulesTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task A_moderator_cannot_suspend_hold_hide_or_delete_against_an_admin_or_another_moderator_and_nothing_changes()
    {
        using var admin = await app.AdminAsync();
        using var moderator = await ModeratorAsync("Mod");
        using var otherModerator = await ModeratorAsync("OtherMod");
        var thread = await admin.StartThreadAsync();
        var adminReply = await admin.ReplyAsync(thread.Id, "the admin speaks");
        var moderatorReply = await otherModerator.ReplyAsync(thread.Id, "another moderator speaks");

        foreach (var (target, rule) in new[]
                 {
                     (adminReply, "Only another admin can {0} an admin."),
                     (moderatorReply, "Only admins can {0} a moderator."),
                 })
        {
            var userId = target.Author.UserId!;
            await (await moderator.PostAsJsonAsync($"/api/users/{userId}/suspend", new SuspendUserRequest(null, "coup")))
                .ShouldBeProblemAsync(HttpStatusCode.Forbidden, string.Format(rule, "suspend"));
            await (await moderator.PutAsJsonAsync($"/api/users/{userId}/hold", new HoldRepliesRequest(true)))
                .ShouldBeProblemAsync(HttpStatusCode.Forbidden, string.Format(rule, "hold the replies of"));
            await (await moderator.PostAsJsonAsync($"/api/replies/{target.Id}/hide", new HideReplyRequest("no")))
                .ShouldBeProblemAsync(HttpStatusCode.Forbidden, string.Format(rule, "hide the replies of"));
            await (await moderator.DeleteAsync($"/api/replies/{target.Id}"))
                .ShouldBeProblemAsync(HttpStatusCode.Forbidden, string.Format(rule, "delete the replies of"));
        }

        Assert.Equal(
            [(adminReply.Id, ReplyState.Visible), (moderatorReply.Id, ReplyState.Visible)],
            (await admin.GetThreadAsync(thread.Id)).Replies.Select(r => (r.Id, r.State)));
        Assert.Equal(ReplyState.Visible, (await admin.ReplyAsync(thread.Id, "not suspended")).State);
        Assert.Equal(ReplyState.Visible, (await otherModerator.ReplyAsync(thread.Id, "neither suspended nor held")).State);
    }

    [Fact]
    public async Task Admins_act_against_moderators_and_moderators_against_members()
    {
        using var admin = await app.AdminAsync();
        using var moderator = await ModeratorAsync("Mod");
        using var member = await app.MemberAsync();
        var thread = await admin.StartThreadAsync();
        var memberReply = await member.ReplyAsync(thread.Id, "a member's reply");
        var moderatorReply = await moderator.ReplyAsync(thread.Id, "a moderator's reply");

        Assert.Equal(HttpStatusCode.NoContent, (await moderator.PostAsJsonAsync($"/api/replies/{memberReply.Id}/hide", new HideReplyRequest(null))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await moderator.PostAsJsonAsync(
            $"/api/users/{memberReply.Author.UserId}/suspend", new SuspendUserRequest(null, null))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/replies/{moderatorReply.Id}/hide", new HideReplyRequest(null))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync(
            $"/api/users/{moderatorReply.Author.UserId}/suspend", new SuspendUserRequest(null, "a break"))).StatusCode);
        await (await moderator.PostReplyAsync(thread.Id, "suspended now"))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Your account is suspended until further notice: a break");
    }

    [Fact]
    public async Task The_last_admin_who_is_not_suspended_can_neither_be_removed_nor_suspended()
    {
        using var admin = await app.AdminAsync();
        using var moderator = await ModeratorAsync("Mod");
        var adminId = (await admin.ReplyAsync((await admin.StartThreadAsync()).Id, "me")).Author.UserId!;

        await (await admin.PutAsJsonAsync($"/api/users/{adminId}/roles", new SetRolesRequest(["Moderator"])))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "is the last admin who is not suspended: appoint another admin before removing this one.");
        await (await moderator.PostAsJsonAsync($"/api/users/{adminId}/suspend", new SuspendUserRequest(null, null)))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only another admin can suspend an admin.");
        await (await admin.PostAsJsonAsync($"/api/users/{adminId}/suspend", new SuspendUserRequest(null, null)))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "You cannot suspend yourself.");

        var second = await app.AccountAsync("Second");
        var appointed = await (await admin.PutAsJsonAsync($"/api/users/{second.Id}/roles", new SetRolesRequest(["Admin"])))
            .ReadAsync<PersonDto>();
        Assert.Equal(["Admin", "Member"], appointed.Roles);
        (await admin.PostAsJsonAsync($"/api/users/{second.Id}/suspend", new SuspendUserRequest(null, null))).EnsureSuccessStatusCode();

        await (await admin.PutAsJsonAsync($"/api/users/{adminId}/roles", new SetRolesRequest([])))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "the last admin who is not suspended");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/moderation/audit")).StatusCode);

        (await admin.PostAsync($"/api/users/{second.Id}/unsuspend", null)).EnsureSuccessStatusCode();
        var removed = await (await admin.PutAsJsonAsync($"/api/users/{second.Id}/roles", new SetRolesRequest([])))
            .ReadAsync<PersonDto>();
        Assert.Equal(["Member"], removed.Roles);
    }

    private async Task<HttpClient> ModeratorAsync(string name)
    {
        var account = await app.AccountAsync(name, Roles.Moderator);
        return await app.SignedInAsync(account.Email!, TestApp.AccountPassword);
    }
}
