namespace LiveDiscussion.Web.Components.Shared;

/// <summary>
/// MudBlazor's look as plain markup, for what every reader's page shows and never changes: a MudIcon would be a
/// component in each reader's circuit.
/// </summary>
public static class MudMarkup
{
    /// <summary>An SVG icon as MudIcon draws it; <paramref name="icon"/> is one of MudBlazor's <c>Icons</c>.</summary>
    public static string Icon(string classes, string icon) =>
        $"<svg class=\"mud-icon-root mud-svg-icon {classes}\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" role=\"img\">{icon}</svg>";
}
