using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Tests.Spam;

/// <summary>Accounts made long ago, for tests of what changes once a member is no longer new.</summary>
public static class AccountAge
{
    /// <summary>Moves the account's creation back by <paramref name="age"/>, as if it had been made then.</summary>
    public static async Task MakeOlderAsync(this TestApp app, string userId, TimeSpan age)
    {
        await using var db = await app.Service<IDbContextFactory<DiscussionDbContext>>().CreateDbContextAsync();
        var user = await db.Users.SingleAsync(u => u.Id == userId);
        user.CreatedAt -= age;
        await db.SaveChangesAsync();
    }
}
