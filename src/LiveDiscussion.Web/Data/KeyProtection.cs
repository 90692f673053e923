using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace LiveDiscussion.Web.Data;

/// <summary>
/// The Data Protection keys (which sign the sign-in cookies and antiforgery tokens) are kept in the database so every
/// node shares them; with <c>DataProtection:CertificatePath</c> they are stored encrypted with that certificate, so a
/// copy of the database alone cannot forge anyone's sign-in. Every node needs the same certificate, with its private key,
/// to read them.
/// </summary>
public static class KeyProtection
{
    public const string CertificatePathKey = "DataProtection:CertificatePath";
    public const string CertificatePasswordKey = "DataProtection:CertificatePassword";

    public static IDataProtectionBuilder ProtectKeysWithConfiguredCertificate(this IDataProtectionBuilder dataProtection, WebApplicationBuilder builder)
    {
        var path = builder.Configuration[CertificatePathKey];
        if (string.IsNullOrWhiteSpace(path))
        {
            if (!builder.Environment.IsDevelopment())
            {
                builder.Services.AddHostedService<UnprotectedKeysWarning>();
            }

            return dataProtection;
        }

        var file = Path.GetFullPath(path, builder.Environment.ContentRootPath);
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(file, builder.Configuration[CertificatePasswordKey]);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{CertificatePathKey}: {file} could not be read as a PKCS#12 (.pfx) file with the password in {CertificatePasswordKey}: {exception.Message}",
                exception);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"{CertificatePathKey}: {file} holds no private key, so the keys could not be read back.");
        }

        return dataProtection.ProtectKeysWithCertificate(certificate);
    }

    /// <summary>Said at every start, so an operator who has not set the certificate hears it where the node's log is read.</summary>
    private sealed class UnprotectedKeysWarning(ILogger<UnprotectedKeysWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning(
                "{Key} is not set: the Data Protection keys that sign everyone's sign-in are stored unencrypted in the "
                + "database, and anyone with a copy of it can forge a sign-in. The README (Configuration) says how to make a certificate",
                CertificatePathKey);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
