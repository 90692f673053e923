using System.Net.Http.Json;
using System.Security.Claims;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.Extensions.DependencyInjection;

namespace LiveDiscussion.Tests.Pages;

/// <summary>
/// The thread page's live session, as a reader's circuit holds it, on a 2,000-reply thread in the real app: it loads a
/// page of the tree at a time and stays live for replies wherever they land. Each test has a thread of its own in the
/// class's app, since the tests post to it and count its seqs and replies.
/// </summary>
public sealed class ThreadSessionTests(EmptyApp app) : IClassFixture<EmptyApp>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private GeneratedThread _big = default!;

    public async Task InitializeAsync() => _big = await BigThread.WriteAsync(app, BigThreadShape.TwoThousandReplies);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_reader_holds_one_page_of_a_big_thread_and_loads_the_rest_as_asked()
    {
        using var scope = app.Services.CreateScope();
        var session = await OpenAsync(scope, focusReplyId: null);
        var live = session.Live!;

        Assert.Equal(ThreadSession.FirstPageSize, live.LoadedCount);
        Assert.Equal(2_000, live.Thread.ReplyCount);
        Assert.True(live.HasMore);

        await session.LoadMoreAsync();

        Assert.Equal(ThreadSession.FirstPageSize + ThreadSession.PageSize, live.LoadedCount);
        Assert.Equal(live.Replies.Select(r => r.Id), live.Replies.Select(r => r.Id).Distinct());
    }

    [Fact]
    public async Task A_reply_committed_where_the_reader_has_not_loaded_yet_is_counted_and_arrives_in_its_place_when_loaded()
    {
        using var scope = app.Services.CreateScope();
        var session = await OpenAsync(scope, focusReplyId: null);
        var live = session.Live!;
        var notLoaded = _big.Replies.Last(r => live.Find(r.Id) is null);
        var loaded = live.Replies[3];
        using var member = await app.MemberAsync("Louise");

        var far = await member.ReplyAsync(_big.Id, "An answer far down the tree", notLoaded.Id);
        var near = await member.ReplyAsync(_big.Id, "An answer on the first screen", loaded.Id);
        await WaitUntilAsync(() => live.LastSeq == 2);

        Assert.Null(live.Find(far.Id));
        Assert.Equal(1, live.NewRepliesNotLoaded);
        Assert.Contains(live.ChildrenOf(loaded.Id), r => r.Id == near.Id && r.BodyHtml.Contains("first screen"));
        Assert.Equal(2_002, live.Thread.ReplyCount);

        while (live.HasMore)
        {
            await session.LoadMoreAsync();
        }

        Assert.Equal(0, live.NewRepliesNotLoaded);
        Assert.Equal(2_002, live.LoadedCount);
        Assert.Equal(far.Id, live.ChildrenOf(notLoaded.Id).Last().Id);
        Assert.Single(live.Replies, r => r.Id == near.Id);
    }

    [Fact]
    public async Task An_edit_of_a_reply_not_loaded_changes_nothing_loaded_and_is_read_as_edited_later()
    {
        using var scope = app.Services.CreateScope();
        var session = await OpenAsync(scope, focusReplyId: null);
        var live = session.Live!;
        using var member = await app.MemberAsync("Julia");
        var own = await member.ReplyAsync(_big.Id, "Mine, at the end of the tree");
        await WaitUntilAsync(() => live.LastSeq == 1);

        var response = await member.PutAsJsonAsync($"/api/replies/{own.Id}", new EditReplyRequest("Mine, edited"));
        response.EnsureSuccessStatusCode();
        await WaitUntilAsync(() => live.LastSeq == 2);

        Assert.Contains("edited", live.Find(own.Id)!.BodyHtml);
        Assert.Equal(2_001, live.Thread.ReplyCount);
    }

    [Fact]
    public async Task A_linked_reply_deep_in_the_thread_opens_with_its_ancestors_above_it()
    {
        var deep = _big.Replies.Where(r => r.Depth >= 4).MaxBy(r => r.Id)!;
        using var scope = app.Services.CreateScope();

        var session = await OpenAsync(scope, focusReplyId: deep.Id);

        Assert.Equal(deep.Id, session.FocusReplyId);
        var top = session.TopOfTree().Single();
        var parent = _big.Replies.Single(r => r.Id == deep.ParentReplyId);
        Assert.Equal(parent.ParentReplyId, top.Id);
        Assert.Equal([parent.Id], session.ChildrenOf(top.Id).Select(r => r.Id));
        Assert.Contains(session.ChildrenOf(parent.Id), r => r.Id == deep.Id);
        Assert.Null(session.Notice);
    }

    [Fact]
    public async Task A_link_to_a_reply_that_is_not_there_shows_the_thread_with_a_notice()
    {
        using var scope = app.Services.CreateScope();

        var session = await OpenAsync(scope, focusReplyId: 987_654_321);

        Assert.False(session.NotFound);
        Assert.Null(session.FocusReplyId);
        Assert.Contains("not here", session.Notice);
        Assert.Equal(ThreadSession.FirstPageSize, session.Live!.LoadedCount);
    }

    private async Task<ThreadSession> OpenAsync(IServiceScope scope, long? focusReplyId)
    {
        var session = scope.ServiceProvider.GetRequiredService<ThreadSession>();
        await session.OpenAsync(_big.Id, focusReplyId, new ClaimsPrincipal(new ClaimsIdentity()), handedOffKey: null, interactive: true);
        return session;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the session did not get there in time");
            await Task.Delay(20);
        }
    }
}
