using System.Net.Http.Json;
using Bunit;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Threads;

namespace LiveDiscussion.Tests.Pages;

/// <summary>
/// The thread page on a generated 300-reply thread, rendered by bUnit over the real app's session, while others post
/// through the API: where a new reply appears, which reply views render again for it, paging in tree order, replies
/// further down than the reader has loaded, and replies the reader holds back. Each test has a thread of its own in the
/// class's app, since the tests post to it and count its replies.
/// </summary>
public sealed class LiveThreadPageTests(EmptyApp app) : IClassFixture<EmptyApp>, IAsyncLifetime
{
    private static readonly BigThreadShape Shape = new(300, 200);

    private GeneratedThread _big = default!;

    public async Task InitializeAsync() => _big = await BigThread.WriteAsync(app, Shape);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_new_answer_deep_in_the_tree_appears_under_its_parent_and_renders_that_reply_alone()
    {
        await using var page = await OpenAsync();
        var parent = _big.Replies[2];
        Assert.Equal(2, parent.Depth);
        var before = page.RenderCounts();
        var ownBefore = page.OwnRenderCounts();
        Assert.Equal(_big.DrawnOnThePage(_big.TreeOrder().Take(ThreadSession.FirstPageSize)).Count, before.Count);
        var answersBefore = page.AnswersUnder(parent.Id);
        using var louise = await app.MemberAsync("louise");

        var answer = await louise.ReplyAsync(_big.Id, "A late answer, three levels down.", parent.Id);

        await page.WaitForAsync(() => Assert.Equal([.. answersBefore, answer.Id], page.AnswersUnder(parent.Id)));
        Assert.Equal("A late answer, three levels down.", page.BodyOf(answer.Id));
        Assert.Contains("just-arrived", page.Reply(answer.Id).ClassList);
        Assert.Equal("3", page.Reply(answer.Id).GetAttribute("data-depth"));

        // Off the new reply's branch, no view went through a render, not even for a render inside it.
        var after = page.RenderCounts();
        var branch = new HashSet<long> { _big.Replies[0].Id, _big.Replies[1].Id, parent.Id };
        var offBranchRendered = before.Keys.Where(id => !branch.Contains(id) && after[id] != before[id]).ToList();
        Assert.True(offBranchRendered.Count == 0, $"views off the branch rendered again: {string.Join(", ", offBranchRendered)}");
        Assert.Equal(before.Count + 1, after.Count);

        // On it, the parent alone built its markup again: the replies above it only contain what changed.
        var ownAfter = page.OwnRenderCounts();
        Assert.True(ownAfter[parent.Id] > ownBefore[parent.Id], "the parent renders its new answer");
        Assert.Equal(ownBefore[_big.Replies[0].Id], ownAfter[_big.Replies[0].Id]);
        Assert.Equal(ownBefore[_big.Replies[1].Id], ownAfter[_big.Replies[1].Id]);
        Assert.Equal(1, ownAfter[answer.Id]);
    }

    [Fact]
    public async Task Load_more_appends_the_next_page_in_tree_order()
    {
        await using var page = await OpenAsync();
        var treeOrder = _big.TreeOrder();
        Assert.Equal(treeOrder.Take(ThreadSession.FirstPageSize), page.Session.Live!.Replies.Select(r => r.Id));
        Assert.Equal(_big.DrawnOnThePage(treeOrder.Take(ThreadSession.FirstPageSize)), page.ReplyIdsInReadingOrder());

        page.Page.Find("[data-testid=load-more]").Click();

        await page.WaitForAsync(() => Assert.Equal(_big.DrawnOnThePage(treeOrder.Take(ThreadSession.FirstPageSize + ThreadSession.PageSize)), page.ReplyIdsInReadingOrder()));
        Assert.Equal(treeOrder.Take(ThreadSession.FirstPageSize + ThreadSession.PageSize), page.Session.Live.Replies.Select(r => r.Id));
        Assert.Equal("300 replies", page.Page.Find("[data-testid=reply-count]").TextContent);
    }

    [Fact]
    public async Task An_answer_to_a_reply_not_loaded_yet_is_counted_and_arrives_in_its_place_with_the_page_that_loads_its_parent()
    {
        await using var page = await OpenAsync();
        var farDown = _big.Replies[^1];
        Assert.False(page.Shows(farDown.Id));
        using var louise = await app.MemberAsync("louise");

        var far = await louise.ReplyAsync(_big.Id, "An answer at the very end of the tree.", farDown.Id);

        await page.WaitForAsync(() => Assert.Equal("1 new reply further down", page.Page.Find("[data-testid=new-further-down]").TextContent.Trim()));
        Assert.Equal(1, page.Session.Live!.NewRepliesNotLoaded);
        Assert.False(page.Shows(far.Id));
        Assert.Equal("301 replies", page.Page.Find("[data-testid=reply-count]").TextContent);

        while (page.Session.Live.HasMore)
        {
            var loaded = page.Session.Live.LoadedCount;
            page.Page.Find("[data-testid=load-more]").Click();
            await page.WaitForAsync(() => Assert.True(page.Session.Live.LoadedCount > loaded));
        }

        await page.WaitForAsync(() => Assert.Equal([far.Id], page.AnswersUnder(farDown.Id)));
        Assert.Equal("An answer at the very end of the tree.", page.BodyOf(far.Id));
        Assert.Equal(0, page.Session.Live.NewRepliesNotLoaded);
        Assert.Empty(page.Page.FindAll("[data-testid=new-further-down]"));
        Assert.Equal([.. _big.TreeOrder(), far.Id], page.Session.Live.Replies.Select(r => r.Id));
    }

    [Fact]
    public async Task Replies_held_back_by_the_reader_are_not_shown_until_they_ask_for_them()
    {
        await using var page = await OpenAsync();
        await page.Page.InvokeAsync(() => page.Session.SetInsertLive(false));
        var parent = _big.Replies[2];
        using var louise = await app.MemberAsync("louise");

        var nested = await louise.ReplyAsync(_big.Id, "Held: an answer deep down.", parent.Id);
        var topLevel = await louise.ReplyAsync(_big.Id, "Held: a new reply to the post.");

        await page.WaitForAsync(() => Assert.Equal("Show 2 new replies", page.Page.Find("[data-testid=show-new-replies]").TextContent.Trim()));
        Assert.False(page.Shows(nested.Id));
        Assert.False(page.Shows(topLevel.Id));
        Assert.DoesNotContain(page.Session.ChildrenOf(parent.Id), r => r.Id == nested.Id);
        Assert.DoesNotContain(page.Session.TopOfTree(), r => r.Id == topLevel.Id);
        Assert.Equal("2 new replies: use the Show button to see them.", page.Page.Find("[data-testid=announcer]").TextContent);

        page.Page.Find("[data-testid=show-new-replies]").Click();

        await page.WaitForAsync(() => Assert.True(page.Shows(topLevel.Id)));
        await page.WaitForAsync(() => Assert.Contains(nested.Id, page.AnswersUnder(parent.Id)));
        Assert.Empty(page.Page.FindAll("[data-testid=show-new-replies]"));
        Assert.Equal("Held: an answer deep down.", page.BodyOf(nested.Id));
    }

    [Fact]
    public async Task A_collapsed_reply_counts_an_answer_that_arrives_anywhere_under_it()
    {
        await using var page = await OpenAsync();
        var top = _big.Replies[0];
        var grandchild = _big.Replies[2];
        page.Page.Find($"#reply-{top.Id} > [data-testid=collapse]").Click();
        var loadedUnder = page.Session.LoadedAnswersUnder(top.Id);
        Assert.Equal($"Show {loadedUnder} answers", page.Page.Find($"#reply-{top.Id} > [data-testid=expand]").TextContent);
        using var louise = await app.MemberAsync("louise");

        var answer = await louise.ReplyAsync(_big.Id, "An answer inside a collapsed conversation.", grandchild.Id);

        await page.WaitForAsync(() => Assert.NotNull(page.Session.Live!.Find(answer.Id)));
        await page.WaitForAsync(() =>
            Assert.Equal($"Show {loadedUnder + 1} answers", page.Page.Find($"#reply-{top.Id} > [data-testid=expand]").TextContent));
        Assert.False(page.Shows(answer.Id));

        page.Page.Find($"#reply-{top.Id} > [data-testid=expand]").Click();

        Assert.Contains(answer.Id, page.AnswersUnder(grandchild.Id));
    }

    [Fact]
    public async Task Readers_of_a_thread_hold_one_record_of_each_reply_and_a_reader_who_opens_it_after_an_edit_reads_the_edit()
    {
        await using var first = await OpenAsync();
        await using var second = await OpenAsync();
        using var louise = await app.MemberAsync("louise");
        var answer = await louise.ReplyAsync(_big.Id, "Words as first written.", _big.Replies[2].Id);
        await first.WaitForAsync(() => Assert.Equal("Words as first written.", first.BodyOf(answer.Id)));
        await second.WaitForAsync(() => Assert.Equal("Words as first written.", second.BodyOf(answer.Id)));

        var shownToBoth = first.ReplyIdsInReadingOrder();
        Assert.Equal(shownToBoth, second.ReplyIdsInReadingOrder());
        Assert.All(shownToBoth, id => Assert.Same(first.Session.Live!.Find(id), second.Session.Live!.Find(id)));

        (await louise.PutAsJsonAsync($"/api/replies/{answer.Id}", new EditReplyRequest("Words as edited."))).EnsureSuccessStatusCode();
        await first.WaitForAsync(() => Assert.Equal("Words as edited.", first.BodyOf(answer.Id)));
        await using var later = await RenderedThreadPage.OpenAsync(app, _big.Id, _big.Slug, replyId: answer.Id);

        Assert.Equal("Words as edited.", later.BodyOf(answer.Id));
        Assert.Contains("(edited)", later.Reply(answer.Id).QuerySelector("header")!.TextContent);
    }

    private Task<RenderedThreadPage> OpenAsync() => RenderedThreadPage.OpenAsync(app, _big.Id, _big.Slug);
}
