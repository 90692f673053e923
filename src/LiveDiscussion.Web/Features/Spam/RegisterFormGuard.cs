using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace LiveDiscussion.Web.Features.Spam;

/// <summary>
/// The register form's two traps for robots that fill in forms they find: a field people never see (a honeypot) and a
/// minimum time between serving the form and its coming back. The time travels in the form itself, protected with the
/// site's Data Protection keys (shared by every node), so a robot can neither forge nor shorten it, and no node has to
/// remember which forms it served.
/// </summary>
public sealed class RegisterFormGuard(IDataProtectionProvider protection, IOptions<SpamOptions> options, TimeProvider clock)
{
    /// <summary>A form older than this is refused as out of date: a token cannot be kept to skip the wait for ever.</summary>
    public static readonly TimeSpan FormLifetime = TimeSpan.FromDays(1);

    public const string HoneypotFilled =
        "No account was created: the form came back with the hidden \"Website\" field filled in, which people never see. "
        + "If you are a person, your browser's autofill probably filled it: turn autofill off for this page (or use a private window) "
        + "and press Create account again.";

    public const string OutOfDate =
        "No account was created: this form is out of date. Check your details and press Create account again.";

    private readonly IDataProtector _protector = protection.CreateProtector("LiveDiscussion.RegisterForm.ServedAt");

    /// <summary>The token a freshly served form carries: when it was served.</summary>
    public string IssueToken() => _protector.Protect(clock.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture));

    public static string TooFast(TimeSpan minimum) =>
        $"No account was created: the form came back faster than a person can fill it in (it takes at least {minimum.TotalSeconds:0} seconds). "
        + "If you are a person, check your details, wait a moment and press Create account again.";

    /// <summary>Why a sent form must create nothing, in words that tell a person what to do; null when it may go on.</summary>
    public string? RefusalFor(string? honeypot, string? token)
    {
        if (!string.IsNullOrEmpty(honeypot))
        {
            return HoneypotFilled;
        }

        if (ServedAt(token) is not { } servedAt)
        {
            return OutOfDate;
        }

        var age = clock.GetUtcNow() - servedAt;
        if (age > FormLifetime || age < TimeSpan.Zero)
        {
            return OutOfDate;
        }

        var minimum = options.Value.RegisterMinFillTime;
        return age < minimum ? TooFast(minimum) : null;
    }

    private DateTimeOffset? ServedAt(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return long.TryParse(_protector.Unprotect(token), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                ? new DateTimeOffset(ticks, TimeSpan.Zero)
                : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
