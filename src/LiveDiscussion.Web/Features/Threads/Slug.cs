using System.Globalization;
using System.Text;

namespace LiveDiscussion.Web.Features.Threads;

public static class Slug
{
    private const int MaxLength = 80;

    /// <summary>A readable URL part for a title: "Is new media activism…?" becomes "is-new-media-activism".</summary>
    public static string From(string title)
    {
        var builder = new StringBuilder(Math.Min(title.Length, MaxLength));
        foreach (var c in title.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (builder.Length >= MaxLength)
            {
                break;
            }

            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        return slug.Length == 0 ? "thread" : slug;
    }
}
