using System.Security.Claims;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Realtime;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LiveDiscussion.Web.Features.Accounts;

/// <summary>
/// The sign-in an open page (a Blazor circuit) holds, checked against the database every
/// <see cref="RevalidationInterval"/>, and at once when the node bus says this person's roles or suspension changed or
/// one of their sign-ins ended (<see cref="SignInChanged"/>). A sign-in whose account is gone, whose security stamp
/// changed, or that was signed out becomes anonymous; one whose roles, name or suspension changed gets fresh claims,
/// so the page drops moderator controls or says the person is suspended as soon as it is so.
/// <para>
/// Services never trust these claims (they read <see cref="Actor"/> on every call): this is what the page shows.
/// </para>
/// </summary>
public sealed class CircuitSignIn : ServerAuthenticationStateProvider, IDisposable
{
    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromMinutes(1);

    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    private readonly NodeFeed _feed;
    private readonly IDbContextFactory<DiscussionDbContext> _dbFactory;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly IdentityOptions _identity;
    private readonly ILogger<CircuitSignIn> _logger;
    private readonly SemaphoreSlim _checking = new(1, 1);
    private readonly CancellationTokenSource _ended = new();
    private readonly Lock _lock = new();
    private ClaimsPrincipal _user = Anonymous;
    private string? _watchedUserId;
    private IDisposable? _watch;
    private ITimer? _timer;

    public CircuitSignIn(
        NodeFeed feed, IDbContextFactory<DiscussionDbContext> dbFactory, IServiceScopeFactory scopes, TimeProvider clock,
        IOptions<IdentityOptions> identity, ILogger<CircuitSignIn> logger)
    {
        _feed = feed;
        _dbFactory = dbFactory;
        _scopes = scopes;
        _clock = clock;
        _identity = identity.Value;
        _logger = logger;
        AuthenticationStateChanged += state => _ = FollowAsync(state);
    }

    // Set by the framework when the circuit (or a prerender) starts, and by this class when it revalidates.
    private async Task FollowAsync(Task<AuthenticationState> state)
    {
        var user = (await state).User;
        var userId = Actor.SignedInUserId(user);
        lock (_lock)
        {
            if (_ended.IsCancellationRequested)
            {
                return;
            }

            _user = user;
            if (userId != _watchedUserId)
            {
                _watch?.Dispose();
                _watch = userId is null ? null : _feed.WatchSignIn(userId, RevalidateAsync);
                _watchedUserId = userId;
            }

            if (userId is null)
            {
                _timer?.Dispose();
                _timer = null;
            }
            else
            {
                _timer ??= _clock.CreateTimer(_ => _ = RevalidateAsync(null), null, RevalidationInterval, RevalidationInterval);
            }
        }
    }

    /// <summary>Checks the sign-in against the database now; <paramref name="changed"/> says why, if the bus said.</summary>
    public async Task RevalidateAsync(SignInChanged? changed)
    {
        try
        {
            await _checking.WaitAsync(_ended.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            var user = _user;
            if (Actor.SignedInUserId(user) is not { } userId)
            {
                return;
            }

            var next = changed?.EndedSignInId is { } ended && user.FindFirstValue(AccountClaims.SignInId) == ended
                ? Anonymous
                : await CheckAsync(user, userId, _ended.Token);
            if (next is not null && !_ended.IsCancellationRequested)
            {
                SetAuthenticationState(Task.FromResult(new AuthenticationState(next)));
            }
        }
        catch (OperationCanceledException) when (_ended.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            // A database that does not answer is no reason to sign everyone out: the next check tries again, and every
            // action is checked against the database anyway.
            _logger.LogWarning(exception, "Checking the sign-in of an open page failed");
        }
        finally
        {
            _checking.Release();
        }
    }

    /// <summary>The principal the page should hold now, or null when the one it holds is still right.</summary>
    private async Task<ClaimsPrincipal?> CheckAsync(ClaimsPrincipal user, string userId, CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var account = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.DisplayName, u.SuspendedUntil, u.SuspensionReason })
            .SingleOrDefaultAsync(ct);
        if (account is null || account.SecurityStamp != user.FindFirstValue(_identity.ClaimsIdentity.SecurityStampClaimType))
        {
            return Anonymous;
        }

        var roles = await db.UserRoles.Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(ct);
        var suspendedUntil = account.SuspendedUntil is { } until && until > _clock.GetUtcNow() ? until : (DateTimeOffset?)null;
        var unchanged =
            roles.Order().SequenceEqual(user.FindAll(_identity.ClaimsIdentity.RoleClaimType).Select(c => c.Value).Order())
            && account.DisplayName == user.FindFirstValue(DisplayNameClaim.Type)
            && suspendedUntil == AccountClaims.SuspendedUntilOf(user)
            && (suspendedUntil is null ? null : account.SuspensionReason) == user.FindFirstValue(AccountClaims.SuspensionReason);
        if (unchanged)
        {
            return null;
        }

        await using var scope = _scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByIdAsync(userId) is not { } found)
        {
            return Anonymous;
        }

        var fresh = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync(found);
        // Still the same sign-in: signing out of it must still find this page.
        AccountClaims.CarrySignInId(fresh, user.FindFirstValue(AccountClaims.SignInId));
        return fresh;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _ended.Cancel();
            _watch?.Dispose();
            _timer?.Dispose();
        }
    }
}
