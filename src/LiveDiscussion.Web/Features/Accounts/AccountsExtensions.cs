using System.Security.Claims;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Realtime;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace LiveDiscussion.Web.Features.Accounts;

public static class AccountsExtensions
{
    public const string LoginPath = "/account/login";

    public static void AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddIdentityApiEndpoints<AppUser>(options =>
            {
                // Length protects a password; composition rules mostly produce "Password1!".
                options.Password.RequiredLength = 8;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.User.RequireUniqueEmail = true;
                options.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddRoles<IdentityRole>()
            .AddUserManager<AppUserManager>()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>()
            .AddEntityFrameworkStores<DiscussionDbContext>();

        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = LoginPath;
            options.LogoutPath = "/account/logout";
            options.ExpireTimeSpan = TimeSpan.FromDays(30);
        });
        // A refreshed cookie (Identity checks its security stamp every half hour) is still the same sign-in.
        builder.Services.Configure<SecurityStampValidatorOptions>(options => options.OnRefreshingPrincipal = refreshing =>
        {
            if (refreshing.NewPrincipal is { } refreshed)
            {
                AccountClaims.CarrySignInId(refreshed, refreshing.CurrentPrincipal?.FindFirstValue(AccountClaims.SignInId));
            }

            return Task.CompletedTask;
        });
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, CircuitSignIn>();
    }

    public static void MapAccounts(this WebApplication app)
    {
        app.MapGroup("/api/auth").WithTags("Accounts").MapIdentityApi<AppUser>();
        app.MapPost("/account/logout", LogoutAsync).WithTags("Accounts").ExcludeFromDescription();
    }

    /// <summary>
    /// Creates the roles and, when <c>Admin:Email</c> and <c>Admin:Password</c> are both set, the admin: a new account,
    /// or the existing account of that address only when that password is its password. Someone who registered the
    /// address first so gains nothing; the operator reads why in the log.
    /// </summary>
    public static Task SeedAccountsAsync(this WebApplication app) =>
        SeedAccountsAsync(app.Services, app.Configuration, app.Logger);

    public static async Task SeedAccountsAsync(IServiceProvider services, IConfiguration configuration, ILogger logger)
    {
        await using var scope = services.CreateAsyncScope();
        // The role and user managers share this scope's context; holding the write lock (SQLite) or the seeding lock
        // (PostgreSQL) makes nodes that start together on one database take turns instead of creating the same role
        // twice.
        var db = scope.ServiceProvider.GetRequiredService<DiscussionDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await StoreLocks.KeyAsync(db, LockScope.AccountSeeding, "", CancellationToken.None);
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        var email = configuration["Admin:Email"];
        var password = configuration["Admin:Password"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(password))
        {
            await transaction.CommitAsync();
            return;
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var admin = await users.FindByEmailAsync(email);
        if (admin is null)
        {
            admin = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Admin" };
            var created = await users.CreateAsync(admin, password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException(
                    "Admin:Email / Admin:Password could not create the admin: "
                    + string.Join(" ", created.Errors.Select(e => e.Description)));
            }
        }
        else if (!await users.CheckPasswordAsync(admin, password))
        {
            logger.LogError(
                "Admin:Email names an existing account, but Admin:Password is not its password: nobody was made admin. "
                + "Set Admin:Password to that account's password, or Admin:Email to an address nobody uses yet.");
            await transaction.CommitAsync();
            return;
        }

        foreach (var role in new[] { Roles.Admin, Roles.Moderator })
        {
            if (!await users.IsInRoleAsync(admin, role))
            {
                await users.AddToRoleAsync(admin, role);
            }
        }

        await transaction.CommitAsync();
    }

    private static async Task<IResult> LogoutAsync(
        SignInManager<AppUser> signIn, ThreadEventPublisher publisher, HttpContext http,
        [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl)
    {
        var userId = Actor.SignedInUserId(http.User);
        var signInId = http.User.FindFirstValue(AccountClaims.SignInId);
        await signIn.SignOutAsync();
        if (userId is not null && signInId is not null)
        {
            // This browser's other tabs, on whichever node, sign out now; the person's other browsers stay signed in.
            await publisher.PublishSignInChangedAsync(userId, signInId);
        }

        return TypedResults.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "~/");
    }

    /// <summary>Only paths on this site are followed after signing in or out, so a link cannot send people elsewhere.</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);
}
