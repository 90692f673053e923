using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LiveDiscussion.Web.Features.Threads;

/// <summary>
/// Categories and tags as chips, the same on the thread page and in the list, so a reader recognises them. They are
/// markup in MudBlazor's chip classes rather than MudChip components: a list of fifty threads would otherwise hold a
/// component per label in every reader's circuit, for chips that never change.
/// </summary>
public static class ThreadLabels
{
    // A page renders again for every change of what it shows; the labels of a thread it already holds are built once.
    private static readonly ConditionalWeakTable<IReadOnlyList<LabelDto>, string> Built = new();

    public static MarkupString Markup(IReadOnlyList<LabelDto> labels) =>
        labels.Count == 0 ? default : new MarkupString(Built.GetValue(labels, Build));

    private static string Build(IReadOnlyList<LabelDto> labels)
    {

        var html = HtmlEncoder.Default;
        var markup = new StringBuilder("<div class=\"thread-labels\" data-testid=\"thread-labels\">");
        foreach (var label in labels)
        {
            var isTag = label.Kind == ThreadLabel.Tag;
            markup.Append("<div class=\"mud-chip-container\"><div class=\"mud-chip mud-chip-outlined mud-chip-size-small mud-chip-color-default\" data-testid=\"label\" title=\"")
                .Append(isTag ? "Tag" : "Category").Append("\">")
                .Append(MudMarkup.Icon("mud-icon-size-small mud-chip-icon", isTag ? Icons.Material.Outlined.Sell : Icons.Material.Outlined.Folder))
                .Append("<span class=\"mud-chip-content\">").Append(html.Encode(label.Name)).Append("</span></div></div>");
        }

        return markup.Append("</div>").ToString();
    }
}
