using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.RateLimits;
using LiveDiscussion.Tests.Spam;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Moderation;

/// <summary>
/// <c>RateLimits:NewMemberAccountAge</c> and <c>RateLimits:NewMemberApprovedReplies</c> say who is a new member for
/// every rule at once: the posting limits, "new members' replies need approval" and the link limit; and they do so
/// with the rate limits switched off too.
/// </summary>
public sealed class NewMemberDefinitionTests(LimitedApp limited, NewMemberDefinitionTests.TwoDaysAndOneReplyApp unlimited)
    : IClassFixture<LimitedApp>, IClassFixture<NewMemberDefinitionTests.TwoDaysAndOneReplyApp>
{
    /// <summary>Rate limits off; a new member is one whose account is under two days old or who has no published reply.</summary>
    public sealed class TwoDaysAndOneReplyApp() : TestApp(seedDemo: false, settings: new Dictionary<string, string?>
    {
        ["RateLimits:Enabled"] = "false",
        ["RateLimits:NewMemberAccountAge"] = "2.00:00:00",
        ["RateLimits:NewMemberApprovedReplies"] = "1",
    });

    // A fresh marker in each: the same text in three threads would be held as a repeat.
    private static string ThreeLinks =>
        $"See https://shop.example/a and [this](https://shop.example/b) and <https://shop.example/c> {Guid.NewGuid():N}";

    [Fact]
    public async Task With_one_published_reply_needed_a_member_with_one_gets_the_members_allowance_and_no_new_member_hold()
    {
        // LimitedApp: account age does not count, one published reply makes a member.
        using var admin = await limited.AdminAsync();
        var thread = await admin.StartThreadAsync("One reply makes a member", "Welcome.");
        (await admin.PutAsJsonAsync($"/api/threads/{thread.Id}/moderation", new ApprovalSettingsDto(true), Api.Json)).EnsureSuccessStatusCode();
        using var member = await limited.MemberAsync("onereply");
        using var newcomer = await limited.MemberAsync("noreply");

        var first = await member.ReplyAsync(thread.Id, "my first words");
        var fromNewcomer = await newcomer.ReplyAsync(thread.Id, ThreeLinks);
        Assert.Equal((ReplyState.Pending, ReplyState.Pending), (first.State, fromNewcomer.State));
        Assert.Equal(
            new (long, string?)[] { (first.Id, "new members' replies need approval"), (fromNewcomer.Id, "held: 3 links from a new member") },
            (await QueueOfAsync(admin, thread.Id)).Select(h => (h.Reply.Id, h.HeldReason)).OrderBy(h => h.Id).ToArray());
        (await admin.PostAsync($"/api/replies/{first.Id}/approve", null)).EnsureSuccessStatusCode();

        // One published reply: not new to the approval rule, the link rule or the posting limits.
        Assert.Equal(ReplyState.Visible, (await member.ReplyAsync(thread.Id, "no longer waiting")).State);
        Assert.Equal(ReplyState.Visible, (await member.ReplyAsync(thread.Id, ThreeLinks)).State);
        HttpResponseMessage response;
        while ((response = await member.PostReplyAsync(thread.Id, "and more")).StatusCode == HttpStatusCode.Created)
        {
        }

        await response.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests,
            $"You can post {LimitedApp.MemberReplies} replies every {LimitedApp.WindowSeconds} seconds.");
    }

    [Fact]
    public async Task With_rate_limits_off_the_configured_age_and_replies_still_decide_the_approval_and_link_holds()
    {
        using var admin = await unlimited.AdminAsync();
        var thread = await admin.StartThreadAsync("Two days and one reply", "Welcome.");
        (await admin.PutAsJsonAsync($"/api/threads/{thread.Id}/moderation", new ApprovalSettingsDto(true), Api.Json)).EnsureSuccessStatusCode();
        using var member = await unlimited.MemberAsync("twodays");
        var first = await member.ReplyAsync(thread.Id, "my first words");
        Assert.Equal(ReplyState.Pending, first.State);
        (await admin.PostAsync($"/api/replies/{first.Id}/approve", null)).EnsureSuccessStatusCode();

        // A day and an hour old with a published reply: still new, the account is under two days old.
        await unlimited.MakeOlderAsync(first.Author.UserId!, TimeSpan.FromHours(25));
        Assert.Equal(ReplyState.Pending, (await member.ReplyAsync(thread.Id, "day two")).State);
        var links = await member.ReplyAsync(thread.Id, ThreeLinks);
        Assert.Equal(ReplyState.Pending, links.State);
        Assert.Equal("held: 3 links from a new member", (await QueueOfAsync(admin, thread.Id)).Single(h => h.Reply.Id == links.Id).HeldReason);

        // Past two days, one published reply is enough: three are not needed.
        await unlimited.MakeOlderAsync(first.Author.UserId!, TimeSpan.FromHours(24));
        Assert.Equal(ReplyState.Visible, (await member.ReplyAsync(thread.Id, "trusted now")).State);
        Assert.Equal(ReplyState.Visible, (await member.ReplyAsync(thread.Id, ThreeLinks)).State);
    }

    [Fact]
    public void A_negative_threshold_refuses_to_start_and_names_the_keys()
    {
        // The settings are checked as the host starts, after the database was made: the test removes it.
        var databasePath = Path.Combine(Path.GetTempPath(), "livediscussion-tests", $"{Guid.NewGuid():N}.db");
        try
        {
            var refused = Assert.ThrowsAny<Exception>(() => new TestApp(seedDemo: false, databasePath, settings: new Dictionary<string, string?>
            {
                ["RateLimits:NewMemberApprovedReplies"] = "-1",
            }).Dispose());

            Assert.Contains("RateLimits:NewMemberApprovedReplies", refused.ToString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(databasePath + suffix);
            }
        }
    }

    private static async Task<List<HeldReplyDto>> QueueOfAsync(HttpClient moderator, long threadId) =>
        [.. (await (await moderator.GetAsync("/api/moderation/queue")).ReadAsync<List<HeldReplyDto>>()).Where(h => h.Reply.ThreadId == threadId)];
}
