using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Replies;

public sealed class RepliesApiTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task Replies_to_the_post_and_to_replies_come_back_as_a_tree_with_the_authors_badge()
    {
        using var julia = await app.MemberAsync("julia");
        using var louise = await app.MemberAsync("louise");
        var thread = await julia.StartThreadAsync("Solidarity", "A post");

        var first = await louise.ReplyAsync(thread.Id, "Top-level question");
        var answer = await julia.ReplyAsync(thread.Id, "An answer", first.Id);
        var second = await louise.ReplyAsync(thread.Id, "Another top-level reply");
        var deeper = await louise.ReplyAsync(thread.Id, "Thanks!", answer.Id);

        var detail = await louise.GetThreadAsync(thread.Id);
        Assert.Equal([first.Id, answer.Id, deeper.Id, second.Id], detail.Replies.Select(r => r.Id));
        Assert.Equal([null, first.Id, answer.Id, null], detail.Replies.Select(r => r.ParentReplyId));
        Assert.Equal([false, true, false, false], detail.Replies.Select(r => r.IsByThreadAuthor));
        Assert.Equal(4, detail.ReplyCount);
        Assert.Equal(4, detail.LatestSeq);
    }

    [Fact]
    public async Task A_reply_is_created_with_a_location_and_rendered_markdown()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();

        var response = await member.PostReplyAsync(thread.Id, "Hello *there*");
        var reply = await response.ReadAsync<ReplyDto>();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/replies/{reply.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Hello *there*", reply.Body);
        Assert.Equal("<p>Hello <em>there</em></p>\n", reply.BodyHtml);
        Assert.Equal(ReplyState.Visible, reply.State);
    }

    [Fact]
    public async Task The_author_edits_their_reply_and_it_is_marked_edited()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();
        var reply = await member.ReplyAsync(thread.Id, "Frist");

        var edited = await (await member.PutAsJsonAsync($"/api/replies/{reply.Id}", new EditReplyRequest("First"))).ReadAsync<ReplyDto>();

        Assert.Equal("First", edited.Body);
        Assert.NotNull(edited.EditedAt);
        Assert.Equal("First", (await member.GetThreadAsync(thread.Id)).Replies.Single().Body);
    }

    [Fact]
    public async Task Editing_someone_elses_reply_is_403_and_changes_nothing()
    {
        using var author = await app.MemberAsync();
        using var other = await app.MemberAsync();
        var thread = await author.StartThreadAsync();
        var reply = await author.ReplyAsync(thread.Id, "Mine");

        var response = await other.PutAsJsonAsync($"/api/replies/{reply.Id}", new EditReplyRequest("Yours now"));

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "You can only edit your own replies.");
        var stored = (await author.GetThreadAsync(thread.Id)).Replies.Single();
        Assert.Equal("Mine", stored.Body);
        Assert.Null(stored.EditedAt);
    }

    [Fact]
    public async Task Deleting_ones_reply_leaves_a_placeholder_that_keeps_its_answers_in_place()
    {
        using var author = await app.MemberAsync();
        using var other = await app.MemberAsync();
        var thread = await author.StartThreadAsync();
        var parent = await author.ReplyAsync(thread.Id, "Regrettable take");
        var child = await other.ReplyAsync(thread.Id, "I disagree", parent.Id);

        Assert.Equal(HttpStatusCode.NoContent, (await author.DeleteAsync($"/api/replies/{parent.Id}")).StatusCode);

        var detail = await other.GetThreadAsync(thread.Id);
        Assert.Equal([parent.Id, child.Id], detail.Replies.Select(r => r.Id));
        Assert.Equal(ReplyState.Deleted, detail.Replies[0].State);
        Assert.Equal("", detail.Replies[0].Body);
        Assert.Equal("", detail.Replies[0].BodyHtml);
        Assert.Equal(parent.Id, detail.Replies[1].ParentReplyId);
        Assert.Equal(1, detail.ReplyCount);
    }

    [Fact]
    public async Task Deleting_someone_elses_reply_is_403_but_a_moderator_may()
    {
        using var author = await app.MemberAsync();
        using var other = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await author.StartThreadAsync();
        var reply = await author.ReplyAsync(thread.Id, "Spam?");

        await (await other.DeleteAsync($"/api/replies/{reply.Id}"))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "You can only delete your own replies.");
        Assert.Equal(ReplyState.Visible, (await author.GetThreadAsync(thread.Id)).Replies.Single().State);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/replies/{reply.Id}")).StatusCode);
        Assert.Equal(ReplyState.Deleted, (await author.GetThreadAsync(thread.Id)).Replies.Single().State);
    }

    [Fact]
    public async Task Replying_signed_out_is_401_and_stores_nothing()
    {
        using var member = await app.MemberAsync();
        using var anonymous = app.Anonymous();
        var thread = await member.StartThreadAsync();

        await (await anonymous.PostReplyAsync(thread.Id, "hi")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Sign in to reply.");
        await (await anonymous.PutAsJsonAsync("/api/replies/1", new EditReplyRequest("x"))).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Sign in");
        await (await anonymous.DeleteAsync("/api/replies/1")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Sign in");
        Assert.Empty((await member.GetThreadAsync(thread.Id)).Replies);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t\n")]
    [InlineData(null)]
    public async Task An_empty_reply_is_400_naming_the_body(string? body)
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();

        var problem = await (await member.PostReplyAsync(thread.Id, body))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "A reply must not be empty.");

        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _));
        Assert.Empty((await member.GetThreadAsync(thread.Id)).Replies);
    }

    [Fact]
    public async Task A_reply_over_10000_characters_is_400_with_the_limit_and_exactly_10000_is_fine()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();

        await (await member.PostReplyAsync(thread.Id, new string('r', 10_001)))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "A reply can be at most 10,000 characters.");
        Assert.Empty((await member.GetThreadAsync(thread.Id)).Replies);

        var longest = await member.ReplyAsync(thread.Id, new string('r', 10_000));
        Assert.Equal(10_000, longest.Body.Length);
    }

    [Fact]
    public async Task An_edit_over_the_limit_is_refused_and_the_reply_stays_as_it_was()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();
        var reply = await member.ReplyAsync(thread.Id, "Short");

        await (await member.PutAsJsonAsync($"/api/replies/{reply.Id}", new EditReplyRequest(new string('e', 10_001))))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "at most 10,000 characters");
        await (await member.PutAsJsonAsync($"/api/replies/{reply.Id}", new EditReplyRequest(" ")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "A reply must not be empty.");

        Assert.Equal("Short", (await member.GetThreadAsync(thread.Id)).Replies.Single().Body);
    }

    [Fact]
    public async Task A_parent_from_another_thread_or_missing_is_400()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync("One");
        var other = await member.StartThreadAsync("Two");
        var elsewhere = await member.ReplyAsync(other.Id, "In thread two");

        await (await member.PostReplyAsync(thread.Id, "Cross-thread", elsewhere.Id))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The reply you are answering is not in this thread.");
        await (await member.PostReplyAsync(thread.Id, "To nothing", 987_654))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The reply you are answering is not in this thread.");

        Assert.Empty((await member.GetThreadAsync(thread.Id)).Replies);
    }

    [Fact]
    public async Task A_reply_to_a_thread_or_reply_that_does_not_exist_is_404()
    {
        using var member = await app.MemberAsync();

        await (await member.PostReplyAsync(4242, "Hello?")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Thread not found");
        await (await member.PutAsJsonAsync("/api/replies/4242", new EditReplyRequest("x"))).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Reply not found");
        await (await member.DeleteAsync("/api/replies/4242")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Reply not found");
    }

    [Fact]
    public async Task A_reply_to_a_closed_thread_is_409_with_the_reason_and_stores_nothing()
    {
        using var member = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await member.StartThreadAsync();
        (await admin.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest("Resolved, see the summary reply")))
            .EnsureSuccessStatusCode();

        await (await member.PostReplyAsync(thread.Id, "One more thing"))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "This thread is closed: Resolved, see the summary reply");

        var detail = await member.GetThreadAsync(thread.Id);
        Assert.Empty(detail.Replies);
        Assert.Equal(1, detail.LatestSeq);
    }

    [Fact]
    public async Task Editing_in_a_closed_thread_is_409_with_the_reason_but_the_author_may_still_delete()
    {
        using var member = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await member.StartThreadAsync();
        var reply = await member.ReplyAsync(thread.Id, "Before the close");
        (await admin.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest("Cooling off"))).EnsureSuccessStatusCode();

        await (await member.PutAsJsonAsync($"/api/replies/{reply.Id}", new EditReplyRequest("Sneaky edit")))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "This thread is closed: Cooling off");
        Assert.Equal("Before the close", (await member.GetThreadAsync(thread.Id)).Replies.Single().Body);

        Assert.Equal(HttpStatusCode.NoContent, (await member.DeleteAsync($"/api/replies/{reply.Id}")).StatusCode);
        Assert.Equal(ReplyState.Deleted, (await member.GetThreadAsync(thread.Id)).Replies.Single().State);
    }

    [Fact]
    public async Task A_retried_send_with_the_same_client_request_id_stores_one_reply()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();

        var first = await (await member.PostReplyAsync(thread.Id, "Only once", clientRequestId: "draft-17")).ReadAsync<ReplyDto>();
        var retry = await (await member.PostReplyAsync(thread.Id, "Only once", clientRequestId: "draft-17")).ReadAsync<ReplyDto>();

        Assert.Equal(first.Id, retry.Id);
        var detail = await member.GetThreadAsync(thread.Id);
        Assert.Single(detail.Replies);
        Assert.Equal(1, detail.LatestSeq);
    }
}
