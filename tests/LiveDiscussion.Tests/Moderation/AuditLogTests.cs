using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Moderation;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Tests.Moderation;

public sealed class AuditLogTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task Every_moderator_action_is_recorded_with_who_what_where_and_why_and_nothing_else_is()
    {
        using var member = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await member.StartThreadAsync();
        var spam = await member.ReplyAsync(thread.Id, "buy now");
        var rude = await member.ReplyAsync(thread.Id, "rude words");
        var regret = await member.ReplyAsync(thread.Id, "I take it back");

        await member.DeleteAsync($"/api/replies/{regret.Id}");
        await admin.DeleteAsync($"/api/replies/{spam.Id}");
        await using (var hub = await HubWatcher.ConnectAsync(app, admin))
        {
            await hub.Connection.InvokeAsync(DiscussionHubContract.HideReply, rude.Id, "Be kind");
        }

        await admin.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest("Enough"));
        await admin.PostAsync($"/api/threads/{thread.Id}/reopen", null);
        await (await member.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest("me too")))
            .ShouldBeProblemAsync(System.Net.HttpStatusCode.Forbidden, "Only moderators");

        await using var db = await app.Service<IDbContextFactory<DiscussionDbContext>>().CreateDbContextAsync();
        // The log is the whole site's, and other tests moderate on this app too: the entries about this test's thread.
        var entries = await db.AuditEntries.Where(a => a.ThreadId == thread.Id).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(
            [AuditActions.DeleteReply, AuditActions.HideReply, AuditActions.CloseThread, AuditActions.ReopenThread],
            entries.Select(a => a.Action));
        Assert.All(entries, a => Assert.Equal("Admin", a.ActorName));
        Assert.All(entries, a => Assert.Equal(thread.Id, a.ThreadId));
        Assert.Equal(spam.Id, entries[0].ReplyId);
        Assert.Equal(spam.Author.UserId, entries[0].TargetUserId);
        Assert.Equal((rude.Id, "Be kind"), (entries[1].ReplyId!.Value, entries[1].Reason));
        Assert.Equal("Enough", entries[2].Reason);
        Assert.All(entries, a => Assert.True(a.At > DateTimeOffset.UtcNow.AddMinutes(-1)));
    }

    [Fact]
    public async Task Admins_read_the_log_filtered_and_nobody_else_reads_it()
    {
        using var member = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var mira = await app.AccountAsync("Mira", "Moderator");
        using var moderator = await app.SignedInAsync(mira.Email!, TestApp.AccountPassword);
        var one = await member.StartThreadAsync("One");
        var two = await member.StartThreadAsync("Two");
        await admin.PostAsJsonAsync($"/api/threads/{one.Id}/close", new CloseThreadRequest("by admin"));
        await moderator.PostAsJsonAsync($"/api/threads/{two.Id}/close", new CloseThreadRequest("by Mira"));
        await moderator.PostAsync($"/api/threads/{two.Id}/reopen", null);

        // Other tests moderate on this app too: of each answer, the entries about this test's threads.
        bool OneOrTwo(AuditEntryDto entry) => entry.ThreadId == one.Id || entry.ThreadId == two.Id;
        var all = (await (await admin.GetAsync("/api/moderation/audit")).ReadAsync<List<AuditEntryDto>>()).Where(OneOrTwo).ToList();
        var closes = (await (await admin.GetAsync("/api/moderation/audit?action=close-thread")).ReadAsync<List<AuditEntryDto>>()).Where(OneOrTwo);
        var byMira = (await (await admin.GetAsync("/api/moderation/audit?actor=mir")).ReadAsync<List<AuditEntryDto>>()).Where(OneOrTwo);
        var inTwo = await (await admin.GetAsync($"/api/moderation/audit?threadId={two.Id}")).ReadAsync<List<AuditEntryDto>>();

        Assert.Equal(3, all.Count);
        Assert.Equal(["by Mira", "by admin"], closes.Select(a => a.Reason));
        Assert.Equal([AuditActions.ReopenThread, AuditActions.CloseThread], byMira.Select(a => a.Action));
        Assert.All(inTwo, a => Assert.Equal(two.Id, a.ThreadId));
        await (await moderator.GetAsync("/api/moderation/audit")).ShouldBeProblemAsync(System.Net.HttpStatusCode.Forbidden, "Only admins");
        await (await member.GetAsync("/api/moderation/audit")).ShouldBeProblemAsync(System.Net.HttpStatusCode.Forbidden, "Only admins");
    }
}
