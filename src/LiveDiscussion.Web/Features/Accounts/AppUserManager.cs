using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LiveDiscussion.Web.Features.Accounts;

/// <summary>
/// Every way of creating an account (the register page, <c>/api/auth/register</c>, the admin at start) ends here, so
/// every account gets a display name and the Member role.
/// </summary>
public sealed class AppUserManager(
    IUserStore<AppUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<AppUser> passwordHasher,
    IEnumerable<IUserValidator<AppUser>> userValidators,
    IEnumerable<IPasswordValidator<AppUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<AppUser>> logger)
    : UserManager<AppUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer,
        errors, services, logger)
{
    public const int DisplayNameMaxLength = 64;

    public override async Task<IdentityResult> CreateAsync(AppUser user)
    {
        user.DisplayName = DisplayNameFor(user);
        var created = await base.CreateAsync(user);
        return created.Succeeded ? await AddToRoleAsync(user, Roles.Member) : created;
    }

    private static string DisplayNameFor(AppUser user)
    {
        var name = string.IsNullOrWhiteSpace(user.DisplayName)
            ? (user.Email ?? user.UserName ?? "member").Split('@')[0]
            : user.DisplayName.Trim();
        return name.Length > DisplayNameMaxLength ? name[..DisplayNameMaxLength] : name;
    }
}
