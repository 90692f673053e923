using LiveDiscussion.Web.Features.Replies;
using Microsoft.AspNetCore.Components.Rendering;

namespace LiveDiscussion.Tests.Pages;

/// <summary>
/// The real reply view, counting how often it builds its own markup. bUnit's <c>RenderCount</c> also counts a render of
/// any component inside it (its markup changed), so it cannot tell a parent that rendered from one whose answer did.
/// </summary>
public sealed class CountingReplyView : ReplyView
{
    public int OwnRenders { get; private set; }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        OwnRenders++;
        base.BuildRenderTree(builder);
    }
}
