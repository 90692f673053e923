namespace LiveDiscussion.Web.Features.Content;

public enum BodyFormat
{
    /// <summary>Written here, in Markdown.</summary>
    Markdown,

    /// <summary>Imported from elsewhere as HTML; sanitized like everything else when shown.</summary>
    Html,
}
