namespace LiveDiscussion.Web.Features.Content;

/// <summary>What a composer sends: the text and the id that makes sending it twice store it once.</summary>
public sealed record ComposerDraft(string Text, string Id);
