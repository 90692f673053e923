using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LiveDiscussion.Web.Features.Accounts;

/// <summary>
/// Every way of creating an account (the register page, <c>/api/auth/register</c>, the admin at start) ends here, so
/// every account gets a display name, its creation time and the Member role.
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
    ILogger<UserManager<AppUser>> logger,
    TimeProvider clock)
    : UserManager<AppUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer,
        errors, services, logger)
{
    public const int DisplayNameMaxLength = 64;

    public override async Task<IdentityResult> CreateAsync(AppUser user)
    {
        user.DisplayName = DisplayNameFor(user);
        // An account's age is half of what makes its owner a new member (NewMembers).
        if (user.CreatedAt == default)
        {
            user.CreatedAt = clock.GetUtcNow();
        }

        var created = await base.CreateAsync(user);
        return created.Succeeded ? await AddToRoleAsync(user, Roles.Member) : created;
    }

    /// <summary>
    /// The chosen name, or a neutral one when none was given (<c>/api/auth/register</c> takes none): never a part of
    /// the e-mail address, which is shown to nobody.
    /// </summary>
    private static string DisplayNameFor(AppUser user)
    {
        var name = string.IsNullOrWhiteSpace(user.DisplayName) ? $"member-{user.Id[..8]}" : user.DisplayName.Trim();
        return name.Length > DisplayNameMaxLength ? name[..DisplayNameMaxLength] : name;
    }
}
