using LiveDiscussion.Web.Features.Accounts;

namespace LiveDiscussion.Tests.Accounts;

public class LocalReturnUrlTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/t/1/is-new-media-activism")]
    [InlineData("/t/1/slug?x=1#reply-3")]
    public void Paths_on_this_site_are_followed(string url) => Assert.True(AccountsExtensions.IsLocal(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("/\t/evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("t/1")]
    public void Anything_else_is_not(string? url) => Assert.False(AccountsExtensions.IsLocal(url));
}
