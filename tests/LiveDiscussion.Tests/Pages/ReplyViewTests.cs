using System.Net;
using System.Net.Http.Json;
using Bunit;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Threads;
using LiveDiscussion.Web.Realtime;
using Microsoft.Extensions.DependencyInjection;

namespace LiveDiscussion.Tests.Pages;

/// <summary>
/// One reply as a reader sees it on the thread page (rendered by bUnit over the real app's session): who wrote it, what
/// it says, where it links, its answers, and what changes live under it.
/// </summary>
public sealed class ReplyViewTests(EmptyApp app) : IClassFixture<EmptyApp>, IAsyncLifetime
{
    private HttpClient _julia = default!;
    private HttpClient _louise = default!;
    private ThreadDetailDto _thread = default!;

    public async Task InitializeAsync()
    {
        _julia = await app.MemberAsync("julia");
        _louise = await app.MemberAsync("louise");
        _thread = await _julia.StartThreadAsync("Do comment sections still work?", "Tell me what you think.");
    }

    public Task DisposeAsync()
    {
        _julia.Dispose();
        _louise.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_reply_shows_its_author_its_body_its_permalink_and_its_answers_nested_under_it()
    {
        var first = await _louise.ReplyAsync(_thread.Id, "They do, **if** someone moderates.\n\n> quoted");
        var answer = await _julia.ReplyAsync(_thread.Id, "Agreed, _mostly_.", first.Id);
        var other = await _julia.ReplyAsync(_thread.Id, "A second top-level reply.");

        await using var page = await OpenAsync();

        Assert.NotEqual(first.Author.Name, answer.Author.Name);
        var article = page.Reply(first.Id);
        Assert.Equal(first.Author.Name, article.QuerySelector(".byline .author")!.TextContent);
        Assert.Equal("0", article.GetAttribute("data-depth"));
        var body = page.Page.Find($"#reply-{first.Id} > [data-testid=reply-body]");
        Assert.NotNull(body.QuerySelector("strong"));
        Assert.Equal("if", body.QuerySelector("strong")!.TextContent);
        Assert.NotNull(body.QuerySelector("blockquote"));
        Assert.Equal($"t/{_thread.Id}/{_thread.Slug}/r/{first.Id}",
            page.Page.Find($"#reply-{first.Id} > .byline [data-testid=permalink]").GetAttribute("href"));

        Assert.Equal([answer.Id], page.AnswersUnder(first.Id));
        Assert.Equal("1", page.Reply(answer.Id).GetAttribute("data-depth"));
        Assert.Equal("Agreed, mostly.", page.BodyOf(answer.Id));
        Assert.Equal("mostly", page.Page.Find($"#reply-{answer.Id} > [data-testid=reply-body] em").TextContent);
        Assert.Empty(page.AnswersUnder(other.Id));
        Assert.Equal([first.Id, answer.Id, other.Id], page.ReplyIdsInReadingOrder());
        Assert.Equal(answer.Author.Name, page.Reply(answer.Id).QuerySelector(".byline .author")!.TextContent);
    }

    [Fact]
    public async Task Answers_deeper_than_the_page_indents_continue_on_a_page_of_their_own()
    {
        var chain = new List<ReplyDto>();
        for (var depth = 0; depth <= ThreadSession.MaxVisibleDepth; depth++)
        {
            chain.Add(await (depth % 2 == 0 ? _louise : _julia).ReplyAsync(_thread.Id, $"Level {depth}", chain.LastOrDefault()?.Id));
        }

        await using var page = await OpenAsync();

        var lastIndented = chain[ThreadSession.MaxVisibleDepth - 1];
        var continueLink = page.Page.Find($"#reply-{lastIndented.Id} > [data-testid=continue-thread]");
        Assert.Equal("Continue this thread →", continueLink.TextContent);
        Assert.Equal($"t/{_thread.Id}/{_thread.Slug}/r/{lastIndented.Id}", continueLink.GetAttribute("href"));
        Assert.Equal(chain.Take(ThreadSession.MaxVisibleDepth).Select(r => r.Id), page.ReplyIdsInReadingOrder());
        Assert.False(page.Shows(chain[^1].Id));
        Assert.Empty(page.Page.FindAll($"#reply-{chain[^2].Id} > [data-testid=collapse]"));

        // Followed, the link shows the rest of the conversation under that reply.
        await using var continued = await OpenAsync(lastIndented.Id);
        Assert.True(continued.Shows(chain[^1].Id));
        Assert.Equal("Level 6", continued.BodyOf(chain[^1].Id));
    }

    [Fact]
    public async Task A_deleted_reply_says_deleted_and_a_hidden_one_says_why_while_their_answers_stay()
    {
        var deleted = await _louise.ReplyAsync(_thread.Id, "I take it back.");
        var answerToDeleted = await _julia.ReplyAsync(_thread.Id, "Too late, I read it.", deleted.Id);
        var hidden = await _louise.ReplyAsync(_thread.Id, "Something rude.");
        var answerToHidden = await _julia.ReplyAsync(_thread.Id, "Steady on.", hidden.Id);
        var hiddenWithoutReason = await _louise.ReplyAsync(_thread.Id, "Something else rude.");
        using var admin = await app.AdminAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _louise.DeleteAsync($"/api/replies/{deleted.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent,
            (await admin.PostAsJsonAsync($"/api/replies/{hidden.Id}/hide", new HideReplyRequest("Off topic"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent,
            (await admin.PostAsJsonAsync($"/api/replies/{hiddenWithoutReason.Id}/hide", new HideReplyRequest(null))).StatusCode);

        await using var page = await OpenAsync();

        Assert.Equal("[deleted]", page.Page.Find($"#reply-{deleted.Id} > [data-testid=deleted]").TextContent);
        Assert.DoesNotContain("I take it back", page.Reply(deleted.Id).TextContent);
        Assert.Equal([answerToDeleted.Id], page.AnswersUnder(deleted.Id));
        Assert.Equal("Hidden by a moderator: Off topic", page.Page.Find($"#reply-{hidden.Id} > [data-testid=hidden]").TextContent);
        Assert.DoesNotContain("rude", page.Reply(hidden.Id).TextContent);
        Assert.Equal([answerToHidden.Id], page.AnswersUnder(hidden.Id));
        Assert.Equal("Hidden by a moderator.", page.Page.Find($"#reply-{hiddenWithoutReason.Id} > [data-testid=hidden]").TextContent);

        // Live: a reply deleted while the page is open turns into [deleted] where it is.
        var later = await _louise.ReplyAsync(_thread.Id, "Second thoughts coming.");
        await page.WaitForAsync(() => Assert.Equal("Second thoughts coming.", page.BodyOf(later.Id)));
        Assert.Equal(HttpStatusCode.NoContent, (await _louise.DeleteAsync($"/api/replies/{later.Id}")).StatusCode);
        await page.WaitForAsync(() => Assert.Equal("[deleted]", page.Page.Find($"#reply-{later.Id} > [data-testid=deleted]").TextContent));
    }

    [Fact]
    public async Task An_edit_shows_the_new_text_in_place_and_answers_collapse_and_expand()
    {
        var question = await _louise.ReplyAsync(_thread.Id, "Which forum software did you use?");
        var answer = await _julia.ReplyAsync(_thread.Id, "phpBB, for years.", question.Id);
        var followUp = await _louise.ReplyAsync(_thread.Id, "Same here.", answer.Id);
        var sibling = await _julia.ReplyAsync(_thread.Id, "Unrelated remark.");
        await using var page = await OpenAsync();
        var siblingRenders = page.RenderCounts()[sibling.Id];

        var edited = await _julia.PutAsJsonAsync($"/api/replies/{answer.Id}", new EditReplyRequest("phpBB, then **Discourse**."));
        edited.EnsureSuccessStatusCode();

        await page.WaitForAsync(() => Assert.Equal("phpBB, then Discourse.", page.BodyOf(answer.Id)));
        Assert.Equal("Discourse", page.Page.Find($"#reply-{answer.Id} > [data-testid=reply-body] strong").TextContent);
        Assert.NotEmpty(page.Page.FindAll($"#reply-{answer.Id} > .byline .edited"));
        Assert.Equal([followUp.Id], page.AnswersUnder(answer.Id));
        Assert.Equal(siblingRenders, page.RenderCounts()[sibling.Id]);

        // A click is handled on the page's dispatcher, which a live update may be holding at that moment: the reader
        // sees its effect as soon as the dispatcher gets to it.
        page.Page.Find($"#reply-{question.Id} > [data-testid=collapse]").Click();
        await page.WaitForAsync(() => Assert.NotEmpty(page.Page.FindAll($"#reply-{question.Id} > [data-testid=expand]")));

        var expand = page.Page.Find($"#reply-{question.Id} > [data-testid=expand]");
        Assert.Equal("Show 2 answers", expand.TextContent);
        Assert.Equal("false", expand.GetAttribute("aria-expanded"));
        Assert.False(page.Shows(answer.Id));
        Assert.False(page.Shows(followUp.Id));
        Assert.True(page.Shows(sibling.Id));

        page.Page.Find($"#reply-{question.Id} > [data-testid=expand]").Click();
        await page.WaitForAsync(() => Assert.Equal([answer.Id], page.AnswersUnder(question.Id)));

        Assert.Equal([answer.Id], page.AnswersUnder(question.Id));
        Assert.Equal([followUp.Id], page.AnswersUnder(answer.Id));
        Assert.Equal("phpBB, then Discourse.", page.BodyOf(answer.Id));
        Assert.Equal("true", page.Page.Find($"#reply-{question.Id} > [data-testid=collapse]").GetAttribute("aria-expanded"));
    }

    [Fact]
    public async Task Someone_typing_an_answer_shows_under_the_reply_they_answer_and_nowhere_else()
    {
        var first = await _julia.ReplyAsync(_thread.Id, "First.");
        var second = await _julia.ReplyAsync(_thread.Id, "Second.");
        var nested = await _julia.ReplyAsync(_thread.Id, "Nested under the first.", first.Id);
        await using var page = await OpenAsync();
        var louise = await app.PrincipalAsync("Louise");
        using var louisesCircuit = app.Services.CreateScope();
        var louisesSession = louisesCircuit.ServiceProvider.GetRequiredService<ThreadSession>();
        await louisesSession.OpenAsync(_thread.Id, null, louise, handedOffKey: null, interactive: true);

        await louisesSession.SignalTypingAsync(nested.Id, isTyping: true);

        await page.WaitForAsync(() => Assert.Equal($"Louise is replying to {nested.Author.Name}…", page.TypingLineOf(nested.Id)));
        Assert.Equal("", page.TypingLineOf(first.Id));
        Assert.Equal("", page.TypingLineOf(second.Id));
        Assert.Equal("Louise is typing…", page.Page.Find("[data-testid=typing-summary]").TextContent);

        await Task.Delay(TypingTracker.MinimumSignalInterval);
        await louisesSession.SignalTypingAsync(nested.Id, isTyping: false);

        await page.WaitForAsync(() => Assert.Equal("", page.TypingLineOf(nested.Id)));
        Assert.Empty(page.Page.FindAll("[data-testid=typing-summary]"));
        louisesSession.Leave();
    }

    private Task<RenderedThreadPage> OpenAsync(long? replyId = null) =>
        RenderedThreadPage.OpenAsync(app, _thread.Id, _thread.Slug, replyId);
}
