using System.Globalization;
using LiveDiscussion.Web.Infrastructure;

namespace LiveDiscussion.Web.Features.Content;

/// <summary>The checks every piece of user text passes before anything is stored.</summary>
public static class TextRules
{
    /// <summary>Returns the text with surrounding whitespace removed, or refuses it naming <paramref name="field"/>.</summary>
    public static string Require(string? text, string field, string what, int maxLength)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw DiscussionProblem.Invalid(field, $"{what} must not be empty.");
        }

        if (trimmed.Length > maxLength)
        {
            throw DiscussionProblem.Invalid(field, $"{what} can be at most {Count(maxLength)} characters.");
        }

        return trimmed;
    }

    /// <summary>Returns the optional text trimmed, or null when blank.</summary>
    public static string? Optional(string? text, string field, string what, int maxLength)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        return trimmed.Length > maxLength
            ? throw DiscussionProblem.Invalid(field, $"{what} can be at most {Count(maxLength)} characters.")
            : trimmed;
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
