using LiveDiscussion.Web.Features.Threads;

namespace LiveDiscussion.Tests.Threads;

public class SlugTests
{
    [Theory]
    [InlineData("Is new media activism an illusion of new solidarity?", "is-new-media-activism-an-illusion-of-new-solidarity")]
    [InlineData("Vi står inte ut — Malmö!", "vi-star-inte-ut-malmo")]
    [InlineData("???", "thread")]
    [InlineData("  C# 10 & .NET  ", "c-10-net")]
    public void Slugs_are_readable_ascii(string title, string expected) => Assert.Equal(expected, Slug.From(title));

    [Fact]
    public void Slugs_are_bounded() => Assert.True(Slug.From(new string('a', 500)).Length <= 80);
}
