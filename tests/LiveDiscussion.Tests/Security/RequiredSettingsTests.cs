using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Security;

public sealed class RequiredSettingsTests
{
    [Fact]
    public void A_node_given_redis_but_no_message_key_refuses_to_start_and_says_which_key_is_missing()
    {
        // Never reaches Redis: the start stops while the services are being set up.
        var refused = Assert.ThrowsAny<Exception>(() => new TestApp(seedDemo: false, settings: new Dictionary<string, string?>
        {
            ["Redis:Connection"] = "127.0.0.1:1",
        }).Dispose());

        Assert.Contains("Redis:MessageKey", refused.ToString());
    }
}
