using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Spam;

/// <summary>
/// The built-in spam checks hold a reply for moderators, and the queue says why. Each test makes its own threads,
/// people and texts (a fresh marker in every repeated text), so the class's tests share one app.
/// </summary>
public sealed class SpamHoldTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    // A fresh marker in each text: the same text in three threads would be held as a repeat, whoever posted it.
    private static string ThreeLinks =>
        $"Look at https://shop.example/a and [this one](https://shop.example/b) and <https://shop.example/c> {Guid.NewGuid():N}";

    private static string TwoLinks => $"The docs are at https://docs.example/a and [the FAQ](https://docs.example/faq) {Guid.NewGuid():N}";

    [Fact]
    public async Task A_new_members_reply_with_more_than_two_links_waits_with_its_reason_and_two_links_do_not()
    {
        using var newcomer = await app.MemberAsync("linker");
        using var reader = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("Links from a newcomer");

        var withTwo = await newcomer.ReplyAsync(thread.Id, TwoLinks);
        var withThree = await newcomer.ReplyAsync(thread.Id, ThreeLinks);

        Assert.Equal(ReplyState.Visible, withTwo.State);
        Assert.Equal(ReplyState.Pending, withThree.State);
        Assert.DoesNotContain((await reader.GetThreadAsync(thread.Id)).Replies, r => r.Id == withThree.Id);
        var queued = Assert.Single(await QueueOfAsync(admin, thread.Id));
        Assert.Equal((withThree.Id, "held: 3 links from a new member"), (queued.Reply.Id, queued.HeldReason));
    }

    [Fact]
    public async Task A_member_stays_new_for_a_day_however_many_replies_were_published_and_links_pass_after_that()
    {
        using var member = await app.MemberAsync("regular");
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("Links from a regular");
        string? memberId = null;
        for (var i = 0; i < 3; i++)
        {
            memberId = (await member.ReplyAsync(thread.Id, $"reply number {i}")).Author.UserId;
        }

        Assert.Equal(ReplyState.Pending, (await member.ReplyAsync(thread.Id, ThreeLinks)).State);

        await app.MakeOlderAsync(memberId!, TimeSpan.FromHours(25));
        Assert.Equal(ReplyState.Visible, (await member.ReplyAsync(thread.Id, ThreeLinks)).State);
        Assert.Equal(ReplyState.Visible, (await admin.ReplyAsync(thread.Id, ThreeLinks)).State);
    }

    [Fact]
    public async Task The_same_text_from_anyone_in_a_third_thread_within_ten_minutes_waits_and_the_first_two_stay_up()
    {
        using var first = await app.MemberAsync("first");
        using var second = await app.MemberAsync("second");
        using var third = await app.MemberAsync("third");
        using var admin = await app.AdminAsync();
        var threads = new List<ThreadDetailDto>();
        for (var i = 0; i < 3; i++)
        {
            threads.Add(await admin.StartThreadAsync($"Wave target {i}"));
        }

        var marker = Guid.NewGuid().ToString("N");
        var one = await first.ReplyAsync(threads[0].Id, $"Cheap watches, best prices {marker}");
        var two = await second.ReplyAsync(threads[1].Id, $"  cheap WATCHES,\n best   prices {marker.ToUpperInvariant()} ");
        var three = await third.ReplyAsync(threads[2].Id, $"Cheap watches, best prices {marker}");

        Assert.Equal((ReplyState.Visible, ReplyState.Visible, ReplyState.Pending), (one.State, two.State, three.State));
        var queued = Assert.Single(await QueueOfAsync(admin, threads[2].Id));
        Assert.Equal((three.Id, "held: the same text in 3 threads within 10 minutes"), (queued.Reply.Id, queued.HeldReason));
    }

    [Fact]
    public async Task Copies_in_one_thread_and_short_common_words_are_not_a_repeat()
    {
        using var member = await app.MemberAsync("repeater");
        using var admin = await app.AdminAsync();
        var busy = await admin.StartThreadAsync("Same words, one thread");
        var other = await admin.StartThreadAsync("Another thread");
        var third = await admin.StartThreadAsync("A third thread");
        var text = $"I agree with everything said here {Guid.NewGuid():N}";

        await member.ReplyAsync(busy.Id, text);
        await member.ReplyAsync(busy.Id, text);
        Assert.Equal(ReplyState.Visible, (await member.ReplyAsync(other.Id, text)).State);
        foreach (var thread in new[] { busy, other, third })
        {
            Assert.Equal(ReplyState.Visible, (await member.ReplyAsync(thread.Id, "Thanks!")).State);
        }
    }

    [Fact]
    public async Task Copies_sent_at_the_same_moment_into_three_threads_hold_one_of_them()
    {
        using var admin = await app.AdminAsync();
        var marker = Guid.NewGuid().ToString("N");
        var posters = new List<HttpClient>();
        var threads = new List<ThreadDetailDto>();
        for (var i = 0; i < 3; i++)
        {
            posters.Add(await app.MemberAsync($"burst{i}"));
            threads.Add(await admin.StartThreadAsync($"Burst target {i}"));
        }

        // Sent together, they may share one transaction of the writer: the check counts the batch's copies too.
        var replies = await Task.WhenAll(posters.Select((poster, i) =>
            poster.ReplyAsync(threads[i].Id, $"Visit our store for discounts {marker}")));

        Assert.Single(replies, r => r.State == ReplyState.Pending);
        posters.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task Replies_held_by_the_approval_rules_say_which_rule()
    {
        using var held = await app.MemberAsync("held");
        using var newcomer = await app.MemberAsync("newcomer");
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("Approval reasons");
        var heldId = (await held.ReplyAsync(thread.Id, "before the hold")).Author.UserId;
        (await admin.PutAsJsonAsync($"/api/users/{heldId}/hold", new HoldRepliesRequest(true))).EnsureSuccessStatusCode();
        var moderated = await admin.StartThreadAsync("New members wait here");
        (await admin.PutAsJsonAsync($"/api/threads/{moderated.Id}/moderation", new ApprovalSettingsDto(true))).EnsureSuccessStatusCode();

        var byHeld = await held.ReplyAsync(thread.Id, "held person");
        var byNewcomer = await newcomer.ReplyAsync(moderated.Id, "first words");

        Assert.Equal("the author's replies are all held", Assert.Single(await QueueOfAsync(admin, thread.Id)).HeldReason);
        Assert.Equal(byHeld.Id, Assert.Single(await QueueOfAsync(admin, thread.Id)).Reply.Id);
        var waiting = Assert.Single(await QueueOfAsync(admin, moderated.Id));
        Assert.Equal((byNewcomer.Id, "new members' replies need approval"), (waiting.Reply.Id, waiting.HeldReason));
    }

    [Fact]
    public async Task The_moderation_page_shows_why_each_reply_waits()
    {
        using var newcomer = await app.MemberAsync("pagelinker");
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("Reasons on the page");
        var held = await newcomer.ReplyAsync(thread.Id, ThreeLinks);
        Assert.Equal(ReplyState.Pending, held.State);

        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = app.BaseAddress };
        (await browser.PostAsJsonAsync("/api/auth/login?useCookies=true",
            new { email = TestApp.AdminEmail, password = TestApp.AdminPassword })).EnsureSuccessStatusCode();
        var page = await browser.GetStringAsync("/moderation");

        var item = page[page.IndexOf($"data-reply-id=\"{held.Id}\"", StringComparison.Ordinal)..];
        Assert.Contains("Why it waits: held: 3 links from a new member", item[..item.IndexOf("</article>", StringComparison.Ordinal)]);
    }

    private static async Task<List<HeldReplyDto>> QueueOfAsync(HttpClient moderator, long threadId) =>
        [.. (await (await moderator.GetAsync("/api/moderation/queue")).ReadAsync<List<HeldReplyDto>>()).Where(h => h.Reply.ThreadId == threadId)];
}
