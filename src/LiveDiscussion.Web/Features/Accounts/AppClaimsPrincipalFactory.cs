using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LiveDiscussion.Web.Features.Accounts;

public static class DisplayNameClaim
{
    public const string Type = "display_name";
}

/// <summary>
/// What a sign-in carries besides Identity's own claims. Pages show from these (a suspension notice, moderator
/// controls); every service still decides from the database (<see cref="Actor"/>).
/// </summary>
public static class AccountClaims
{
    /// <summary>The end of a suspension in force when the claims were made (round-trip format; MaxValue: indefinite).</summary>
    public const string SuspendedUntil = "suspended_until";

    public const string SuspensionReason = "suspension_reason";

    /// <summary>
    /// One sign-in (one browser's cookie), so that signing out there can end the open pages of that sign-in on every
    /// node and leave the person's other browsers signed in.
    /// </summary>
    public const string SignInId = "sign_in";

    public static DateTimeOffset? SuspendedUntilOf(ClaimsPrincipal user) =>
        user.FindFirstValue(SuspendedUntil) is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var until)
            ? until
            : null;

    public static string Format(DateTimeOffset until) => until.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The same principal with <paramref name="signInId"/> as its sign-in, when it has one to carry over.</summary>
    public static void CarrySignInId(ClaimsPrincipal to, string? signInId)
    {
        if (signInId is null || to.Identity is not ClaimsIdentity identity)
        {
            return;
        }

        foreach (var claim in identity.FindAll(SignInId).ToList())
        {
            identity.RemoveClaim(claim);
        }

        identity.AddClaim(new Claim(SignInId, signInId));
    }
}

/// <summary>
/// Puts the display name into the cookie, so the page header can greet people without a query, a suspension in force,
/// so an open page can say so, and an id for this sign-in.
/// </summary>
public sealed class AppClaimsPrincipalFactory(
    UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options, TimeProvider clock)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayNameClaim.Type, user.DisplayName));
        identity.AddClaim(new Claim(AccountClaims.SignInId, Guid.NewGuid().ToString("N")));
        if (user.SuspendedUntil is { } until && until > clock.GetUtcNow())
        {
            identity.AddClaim(new Claim(AccountClaims.SuspendedUntil, AccountClaims.Format(until)));
            if (user.SuspensionReason is { } reason)
            {
                identity.AddClaim(new Claim(AccountClaims.SuspensionReason, reason));
            }
        }

        return identity;
    }
}
