using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>Device secrets and tokens off the wire: MQTT over TLS with mosquitto_pub --cafile, the API over HTTPS.</summary>
public sealed class TransportTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ADeviceReportsOverMqttTlsAndTheConsoleReadsItOverHttpsWithThePlainPortOff()
    {
        var (cert, key) = WriteSelfSignedCertificate();
        var (https, tls) = (Ports.Free(), Ports.Free());
        await using var silo = SiloProcess.Start(
            $"--Urls=https://127.0.0.1:{https}", $"--SafetyPatrol:SiteFile={E2eSite.WriteTo(_temp.Path)}", $"--SafetyPatrol:DataDir={Path.Combine(_temp.Path, "data")}",
            "--SafetyPatrol:AdminPassword=tls-pass-1", "--SafetyPatrol:Mqtt:Port=0", $"--SafetyPatrol:Mqtt:TlsPort={tls}",
            $"--SafetyPatrol:Mqtt:Certificate:Path={cert}", $"--SafetyPatrol:Mqtt:Certificate:KeyPath={key}",
            $"--Kestrel:Certificates:Default:Path={cert}", $"--Kestrel:Certificates:Default:KeyPath={key}",
            $"--SafetyPatrol:SiloPort={Ports.Free()}", $"--SafetyPatrol:GatewayPort={Ports.Free()}");
        using var http = TrustingOnly(cert, $"https://127.0.0.1:{https}");
        await silo.WaitUntil(async () => (await http.GetAsync("/health")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "healthy over HTTPS");

        var (exit, output) = await MosquittoPub("--cafile", cert, "-h", "127.0.0.1", "-p", tls.ToString(), "-q", "1",
            "-u", "smoke-101", "-P", "s3cr3t", "-t", "devices/smoke-101/telemetry", "-m", """{"smoke": true}""");
        Assert.True(exit == 0, output);
        var (plainExit, _) = await MosquittoPub("-h", "127.0.0.1", "-p", tls.ToString(), "-u", "smoke-101", "-P", "s3cr3t", "-t", "devices/smoke-101/telemetry", "-m", "{}");
        Assert.NotEqual(0, plainExit);

        var token = await (await http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "tls-pass-1" })).Read();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        var alerts = await http.GetFromJsonAsync<JsonElement[]>("/api/alerts");
        Assert.Contains(alerts!, a => a.GetProperty("deviceId").GetString() == "smoke-101" && a.GetProperty("type").GetString() == "fire.smoke");
        Assert.Contains($"MQTT TLS: 127.0.0.1:{tls}", silo.Output);
    }

    [Fact]
    public async Task AnUnreadableCertificateOrAPortOutOfRangeStopsTheStartNamingTheSetting()
    {
        await using var badCertificate = SiloProcess.Start("--SafetyPatrol:AdminPassword=whatever-1", $"--SafetyPatrol:DataDir={_temp.Path}",
            $"--Urls=http://127.0.0.1:{Ports.Free()}", $"--SafetyPatrol:Mqtt:TlsPort={Ports.Free()}", "--SafetyPatrol:Mqtt:Certificate:Path=/nonexistent.pem");
        await using var badPort = SiloProcess.Start("--SafetyPatrol:AdminPassword=whatever-1", $"--SafetyPatrol:DataDir={_temp.Path}",
            $"--Urls=http://127.0.0.1:{Ports.Free()}", "--SafetyPatrol:Mqtt:Port=99999");

        Assert.Equal(2, await badCertificate.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(2, await badPort.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("SafetyPatrol:Mqtt:Certificate:Path '/nonexistent.pem' cannot be read", badCertificate.Output);
        Assert.Contains("SafetyPatrol:Mqtt:Port is 99999", badPort.Output);
        Assert.DoesNotContain("Unhandled exception", badPort.Output);
    }

    /// <summary>A certificate for 127.0.0.1 that is its own authority, as a school would make with openssl; PEM files.</summary>
    private (string Certificate, string Key) WriteSelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=safetypatrol.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certPath = Path.Combine(_temp.Path, "cert.pem");
        var keyPath = Path.Combine(_temp.Path, "key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    private static HttpClient TrustingOnly(string certificatePath, string baseUrl)
    {
        var trusted = X509CertificateLoader.LoadCertificateFromFile(certificatePath);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.RawData.AsSpan().SequenceEqual(trusted.RawData) == true,
        };
        return new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(5) };
    }

    private static async Task<(int ExitCode, string Output)> MosquittoPub(params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("mosquitto_pub", args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var output = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
