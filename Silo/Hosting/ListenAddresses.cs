using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using SafetyPatrol.Web;

namespace SafetyPatrol.Silo.Hosting;

/// <summary>
/// The HTTP addresses from <c>Urls</c>, checked before the host is built so a wrong one stops the
/// start naming the setting. <c>https://</c> addresses use Kestrel's own certificate settings
/// (<c>Kestrel:Certificates:Default:*</c>).
/// </summary>
public sealed record ListenAddresses(IReadOnlyList<(Uri Url, IPAddress? Address)> Urls)
{
    /// <exception cref="OptionsValidationException">An address is not one Kestrel can listen on.</exception>
    public static ListenAddresses Parse(string urls)
    {
        List<(Uri, IPAddress?)> parsed = [];
        List<string> problems = [];
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https") || uri.Port is < 1 or > 65535)
            {
                problems.Add($"Urls: '{url}' is not an http:// or https:// address with a port from 1 to 65535.");
            }
            else if (uri.Host == "localhost")
            {
                parsed.Add((uri, null));
            }
            else if (IPAddress.TryParse(uri.Host, out var address))
            {
                parsed.Add((uri, address));
            }
            else
            {
                problems.Add($"Urls: '{url}' must name an IP address or localhost.");
            }
        }

        return problems.Count > 0 ? throw new OptionsValidationException("Urls", typeof(SafetyPatrolOptions), problems) : new ListenAddresses(parsed);
    }

    public void ListenOn(KestrelServerOptions kestrel)
    {
        foreach (var (url, address) in Urls)
        {
            Action<ListenOptions> tls = url.Scheme == Uri.UriSchemeHttps ? listen => listen.UseHttps() : _ => { };
            if (address is null)
            {
                kestrel.ListenLocalhost(url.Port, tls);
            }
            else
            {
                kestrel.Listen(address, url.Port, tls);
            }
        }
    }

    /// <summary>The MQTT TLS certificate from <c>SafetyPatrol:Mqtt:Certificate</c>: PEM with its key, or PFX.</summary>
    /// <exception cref="OptionsValidationException">It cannot be read.</exception>
    public static X509Certificate2 LoadCertificate(CertificateOptions certificate)
    {
        try
        {
            return certificate.KeyPath is { Length: > 0 } key
                ? X509Certificate2.CreateFromPemFile(certificate.Path!, key)
                : X509CertificateLoader.LoadPkcs12FromFile(certificate.Path!, certificate.Password);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new OptionsValidationException("SafetyPatrol:Mqtt:Certificate", typeof(SafetyPatrolOptions),
                [$"SafetyPatrol:Mqtt:Certificate:Path '{certificate.Path}' cannot be read as a certificate: {ex.Message}"]);
        }
    }
}
