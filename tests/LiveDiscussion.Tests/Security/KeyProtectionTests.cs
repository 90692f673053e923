using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveDiscussion.Tests.Security;

public sealed class KeyProtectionTests
{
    [Fact]
    public async Task With_a_certificate_the_stored_keys_are_encrypted_and_a_second_node_with_it_accepts_the_first_nodes_sign_in()
    {
        var certificate = Path.Combine(Path.GetTempPath(), "livediscussion-tests", $"{Guid.NewGuid():N}.pfx");
        Directory.CreateDirectory(Path.GetDirectoryName(certificate)!);
        const string password = "certificate-password-1";
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=LiveDiscussion Data Protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(certificate, made.Export(X509ContentType.Pfx, password));
        }

        var settings = new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = certificate,
            ["DataProtection:CertificatePassword"] = password,
        };
        try
        {
            // Two apps of their own on one database file, as two nodes are.
            using var first = new TestApp(seedDemo: false, settings: settings);
            var jar = new CookieContainer();
            using var onFirst = await first.SignedInWithCookieAsync("two-nodes", jar);
            Assert.Equal(HttpStatusCode.OK, (await onFirst.GetAsync("/api/auth/manage/info")).StatusCode);

            await using (var db = await first.Service<IDbContextFactory<DiscussionDbContext>>().CreateDbContextAsync())
            {
                var keys = await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
                Assert.NotEmpty(keys);
                Assert.All(keys, xml =>
                {
                    Assert.Contains("<encryptedSecret", xml);
                    Assert.DoesNotContain("<masterKey", xml);
                });
            }

            first.KeepDatabase();
            using var second = new TestApp(seedDemo: false, databasePath: first.DatabasePath, settings: settings);
            using var onSecond = new HttpClient { BaseAddress = second.BaseAddress };
            onSecond.DefaultRequestHeaders.Add("Cookie", jar.GetCookieHeader(first.BaseAddress));

            var info = await onSecond.GetAsync("/api/auth/manage/info");

            Assert.Equal(HttpStatusCode.OK, info.StatusCode);
            Assert.Contains("two-nodes", await info.Content.ReadAsStringAsync());
        }
        finally
        {
            File.Delete(certificate);
        }
    }
}
