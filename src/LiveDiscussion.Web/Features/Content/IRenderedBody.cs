namespace LiveDiscussion.Web.Features.Content;

/// <summary>
/// A stored body with its HTML, rendered when the body is written, so that showing it renders nothing (replies and
/// threads' posts).
/// </summary>
public interface IRenderedBody
{
    long Id { get; }
    string Body { get; }
    BodyFormat BodyFormat { get; }

    /// <summary>The body as <see cref="BodyRenderer"/> rendered it, or null where it never was (rows older than the column).</summary>
    string? BodyHtml { get; set; }

    /// <summary>
    /// The <see cref="BodyRenderer.RulesVersion"/> that <see cref="BodyHtml"/> was rendered under: HTML from older rules
    /// is rendered again when next shown.
    /// </summary>
    int? BodyHtmlRules { get; set; }
}
