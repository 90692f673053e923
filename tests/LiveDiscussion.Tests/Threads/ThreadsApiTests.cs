using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Threads;

public sealed class ThreadsApiTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task A_member_starts_a_thread_that_everyone_can_read()
    {
        using var member = await app.MemberAsync("louise");

        var response = await member.PostAsJsonAsync("/api/threads", new CreateThreadRequest("  Live blogs?  ", "What do you **think**?"));
        var created = await response.ReadAsync<ThreadDetailDto>();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/threads/{created.Id}", response.Headers.Location?.OriginalString);
        using var reader = app.Anonymous();
        var thread = await reader.GetThreadAsync(created.Id);
        Assert.Equal("Live blogs?", thread.Title);
        Assert.Equal("live-blogs", thread.Slug);
        Assert.StartsWith("member-", thread.Author.Name);
        Assert.DoesNotContain("louise", thread.Author.Name);
        Assert.Contains("<strong>think</strong>", thread.BodyHtml);
        Assert.Equal(ThreadState.Open, thread.State);
        Assert.Equal(0, thread.LatestSeq);
        Assert.Empty(thread.Replies);
    }

    [Fact]
    public async Task The_list_shows_pinned_first_then_the_most_recent_activity_with_reply_counts()
    {
        using var member = await app.MemberAsync();
        var older = await member.StartThreadAsync("Older");
        var newer = await member.StartThreadAsync("Newer");
        await member.ReplyAsync(older.Id, "bumps the older thread");

        // The two threads made last, on an app other tests write to as well: the top of the list.
        var list = (await member.ListThreadsAsync()).Take(2).ToList();

        Assert.Equal(["Older", "Newer"], list.Select(t => t.Title));
        Assert.Equal([1, 0], list.Select(t => t.ReplyCount));
        Assert.True(list[0].LastActivityAt > newer.LastActivityAt);
    }

    [Fact]
    public async Task Starting_a_thread_signed_out_is_refused_with_401_and_stores_nothing()
    {
        using var anonymous = app.Anonymous();
        var threadsBefore = await anonymous.ThreadIdsAsync();

        var response = await anonymous.PostAsJsonAsync("/api/threads", new CreateThreadRequest("Title", "Body"));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Sign in to start a thread.");
        Assert.Equal(threadsBefore, await anonymous.ThreadIdsAsync());
    }

    [Theory]
    [InlineData("", "Body", "title", "Title must not be empty.")]
    [InlineData("   \t ", "Body", "title", "Title must not be empty.")]
    [InlineData("Title", " \n ", "body", "The post must not be empty.")]
    [InlineData(null, "Body", "title", "Title must not be empty.")]
    public async Task Blank_titles_or_bodies_are_refused_naming_the_field(string? title, string? body, string field, string message)
    {
        using var member = await app.MemberAsync();
        var threadsBefore = await member.ThreadIdsAsync();

        var response = await member.PostAsJsonAsync("/api/threads", new CreateThreadRequest(title, body));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, message);
        Assert.Equal(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
        Assert.Equal(threadsBefore, await member.ThreadIdsAsync());
    }

    [Fact]
    public async Task A_title_over_200_characters_is_refused_with_the_limit()
    {
        using var member = await app.MemberAsync();
        var threadsBefore = await member.ThreadIdsAsync();

        var response = await member.PostAsJsonAsync("/api/threads", new CreateThreadRequest(new string('t', 201), "Body"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "Title can be at most 200 characters.");
        Assert.Equal(threadsBefore, await member.ThreadIdsAsync());
    }

    [Fact]
    public async Task A_title_of_exactly_200_characters_is_accepted()
    {
        using var member = await app.MemberAsync();

        var thread = await member.StartThreadAsync(new string('t', 200));

        Assert.Equal(200, thread.Title.Length);
    }

    [Fact]
    public async Task A_thread_that_does_not_exist_is_404()
    {
        using var anonymous = app.Anonymous();

        await (await anonymous.GetAsync("/api/threads/4242")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Thread not found");
        await (await anonymous.GetAsync("/api/threads/4242/events?after=0")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Thread not found");
    }

    [Fact]
    public async Task Malformed_json_is_a_400_that_says_so_and_stores_nothing()
    {
        using var member = await app.MemberAsync();
        var threadsBefore = await member.ThreadIdsAsync();

        var response = await member.PostAsync("/api/threads",
            new StringContent("{\"title\": \"Broken\", \"body\": ", System.Text.Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "not valid JSON");
        Assert.Equal(threadsBefore, await member.ThreadIdsAsync());
    }

    [Fact]
    public async Task A_request_body_over_one_megabyte_is_413_and_stores_nothing()
    {
        using var member = await app.MemberAsync();
        var threadsBefore = await member.ThreadIdsAsync();
        var huge = new string('x', 1_100_000);

        var response = await member.PostAsJsonAsync("/api/threads", new CreateThreadRequest("Huge", huge));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "too large");
        Assert.Equal(threadsBefore, await member.ThreadIdsAsync());
    }
}
