using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LiveDiscussion.Web.Features.Accounts;

public static class DisplayNameClaim
{
    public const string Type = "display_name";
}

/// <summary>Puts the display name into the cookie, so the page header can greet people without a query.</summary>
public sealed class AppClaimsPrincipalFactory(
    UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayNameClaim.Type, user.DisplayName));
        return identity;
    }
}
