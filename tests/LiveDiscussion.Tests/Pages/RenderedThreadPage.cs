using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace LiveDiscussion.Tests.Pages;

/// <summary>
/// The thread page as bUnit renders it for one reader, over the real app: its <see cref="ThreadSession"/> is the one a
/// circuit's scope of the running app gives (real services, real SQLite file, the node feed), and the page renders
/// interactively, so it watches the thread and shows what others post as a reader's browser would.
/// </summary>
public sealed class RenderedThreadPage : IAsyncDisposable
{
    /// <summary>Long enough for an event to go from the API through the node feed to the page on a busy machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly IServiceScope _circuitScope;

    private RenderedThreadPage(IServiceScope circuitScope, BunitContext context, IRenderedComponent<ThreadPage> page)
    {
        _circuitScope = circuitScope;
        Context = context;
        Page = page;
        Session = circuitScope.ServiceProvider.GetRequiredService<ThreadSession>();
    }

    public BunitContext Context { get; }

    public IRenderedComponent<ThreadPage> Page { get; }

    public ThreadSession Session { get; }

    /// <summary>Opens <c>/t/{threadId}/{slug}</c> (or <c>/r/{replyId}</c>) for a reader, anonymous unless given.</summary>
    public static async Task<RenderedThreadPage> OpenAsync(
        TestApp app, long threadId, string slug, long? replyId = null, ClaimsPrincipal? reader = null)
    {
        var circuitScope = app.Services.CreateScope();
        var context = new BunitContext();
        context.Services.AddMudServices();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        // A signed-in reader's page asks the browser which drafts it kept: none.
        var drafts = context.JSInterop.SetupModule("./Features/Content/Composer.razor.js");
        drafts.Mode = JSRuntimeMode.Loose;
        drafts.Setup<string[]>("keysStartingWith", _ => true).SetResult([]);
        context.ComponentFactories.Add<ReplyView, CountingReplyView>();
        var session = circuitScope.ServiceProvider.GetRequiredService<ThreadSession>();
        context.Services.AddSingleton(session);
        // The sign-in comes from the app's own provider in the circuit's scope, set as a circuit starts, so the page
        // follows it when it changes (a role taken away, a suspension, a sign-out) as a browser's page would.
        var signIn = circuitScope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        ((IHostEnvironmentAuthenticationStateProvider)signIn).SetAuthenticationState(
            Task.FromResult(new AuthenticationState(reader ?? new ClaimsPrincipal(new ClaimsIdentity()))));
        context.Services.AddSingleton(signIn);
        context.Services.AddCascadingAuthenticationState();
        context.Services.AddFallbackServiceProvider(circuitScope.ServiceProvider);
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var page = context.Render<ThreadPage>(parameters => parameters
            .Add(p => p.Id, threadId)
            .Add(p => p.Slug, slug)
            .Add(p => p.RootReplyId, replyId));
        var rendered = new RenderedThreadPage(circuitScope, context, page);
        await page.WaitForAssertionAsync(() => Assert.NotEmpty(page.FindAll("[data-testid=reply-tree]")), Patience);
        return rendered;
    }

    /// <summary>The reply's own article (its answers are inside it).</summary>
    public IElement Reply(long replyId) => Page.Find($"#reply-{replyId}");

    public bool Shows(long replyId) => Page.FindAll($"#reply-{replyId}").Count > 0;

    /// <summary>The reply's own body text, without its answers'.</summary>
    public string BodyOf(long replyId) => Page.Find($"#reply-{replyId} > [data-testid=reply-body]").TextContent.Trim();

    /// <summary>The reply ids under <paramref name="replyId"/> as the reader sees them, in document order.</summary>
    public IReadOnlyList<long> AnswersUnder(long replyId) =>
        [.. Page.FindAll($"#reply-{replyId} > .replies > article[data-testid=reply]").Select(ReplyId)];

    /// <summary>Every reply on the page, in the order a reader reads them.</summary>
    public IReadOnlyList<long> ReplyIdsInReadingOrder() => [.. Page.FindAll("article[data-testid=reply]").Select(ReplyId)];

    /// <summary>What the typing line directly under the reply says (empty when nobody answers it).</summary>
    public string TypingLineOf(long replyId) => Page.Find($"#reply-{replyId} > [data-testid=typing-line]").TextContent.Trim();

    /// <summary>
    /// How many times each reply's view went through a render so far, by reply id, as bUnit counts them: a view counts
    /// a render of any view inside it too, since its markup changed.
    /// </summary>
    public IReadOnlyDictionary<long, int> RenderCounts() =>
        Page.FindComponents<ReplyView>().ToDictionary(view => view.Instance.Reply.Id, view => view.RenderCount);

    /// <summary>How many times each reply's view built its own markup so far, by reply id.</summary>
    public IReadOnlyDictionary<long, int> OwnRenderCounts() =>
        Page.FindComponents<ReplyView>().ToDictionary(view => view.Instance.Reply.Id, view => ((CountingReplyView)view.Instance).OwnRenders);

    public Task WaitForAsync(Action assertion) => Page.WaitForAssertionAsync(assertion, Patience);

    private static long ReplyId(IElement article) => long.Parse(article.GetAttribute("data-reply-id")!);

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        _circuitScope.Dispose();
    }
}
