using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Threads;

/// <summary>The generated thread is what the app serves, in the shape tests rely on, and the app goes on from it.</summary>
public sealed class BigThreadTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task Five_thousand_generated_replies_of_about_three_megabytes_are_served_as_a_tree_up_to_eight_deep_and_the_next_reply_is_seq_1()
    {
        var generated = await BigThread.WriteAsync(app, BigThreadShape.FiveThousandReplies);

        using var member = await app.MemberAsync("newcomer");
        var served = await member.GetThreadAsync(generated.Id);
        Assert.Equal(5_000, served.ReplyCount);
        Assert.Equal(0, served.LatestSeq);
        Assert.Equal(generated.Newest.CreatedAt, served.LastActivityAt);

        var replies = await AllRepliesAsync(member, served);
        Assert.Equal(5_000, replies.Count);
        Assert.InRange(replies.Sum(r => (long)r.Body.Length), 2_500_000, 3_500_000);
        Assert.InRange(replies.Select(r => r.Author.Name).Distinct().Count(), 24, 36);
        Assert.Contains(replies, r => r.IsByThreadAuthor);
        Assert.Contains(replies, r => r.BodyHtml.Contains("<em>") || r.BodyHtml.Contains("<strong>"));
        Assert.Contains(replies, r => r.BodyHtml.Contains("<a href=\"https://example."));

        var byId = replies.ToDictionary(r => r.Id);
        int DepthOf(ReplyDto reply) => reply.ParentReplyId is { } parent ? 1 + DepthOf(byId[parent]) : 0;
        Assert.Equal(7, replies.Max(DepthOf));
        Assert.InRange(replies.Count(r => r.ParentReplyId is null), 500, 2_000);
        Assert.Equal(replies.OrderBy(r => r.Id).Select(r => r.CreatedAt), replies.OrderBy(r => r.CreatedAt).Select(r => r.CreatedAt));

        var next = await member.ReplyAsync(generated.Id, "A live reply after the imported history.", generated.Replies[3].Id);
        Assert.Equal(1, (await member.GetThreadAsync(generated.Id)).LatestSeq);
        Assert.Equal(generated.Replies[3].Id, next.ParentReplyId);
    }

    /// <summary>The thread's first page of replies, then every further page the API links to.</summary>
    private static async Task<List<ReplyDto>> AllRepliesAsync(HttpClient client, ThreadDetailDto thread)
    {
        var replies = new List<ReplyDto>(thread.Replies);
        var after = thread.HasMoreReplies ? thread.NextRepliesAfter : null;
        while (after is { } cursor)
        {
            var page = await (await client.GetAsync($"/api/threads/{thread.Id}/replies?after={cursor}&limit=500")).ReadAsync<RepliesPageDto>();
            replies.AddRange(page.Replies);
            after = page.HasMore ? page.NextAfter : null;
        }

        return replies;
    }

    [Fact]
    public async Task The_same_shape_gives_the_same_thread_and_a_second_one_beside_it()
    {
        var first = await BigThread.WriteAsync(app, new BigThreadShape(300, 400));
        var second = await BigThread.WriteAsync(app.DatabasePath, new BigThreadShape(300, 400));

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(first.Replies.Select(r => (r.Depth, r.AuthorName, r.Body, r.CreatedAt)), second.Replies.Select(r => (r.Depth, r.AuthorName, r.Body, r.CreatedAt)));
        Assert.Equal(300, (await app.Anonymous().GetThreadAsync(second.Id)).ReplyCount);
    }
}
