using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace SafetyPatrol.Web.Auth;

/// <summary>
/// OWASP's device cookies. A browser (or client) that signed in as a user gets a cookie for that user, signed with a
/// key derived from the token key. Its sign-ins as that user are then counted apart from its address: someone guessing
/// the user's password from the same address (a school's whole network behind one NAT) locks out their own attempts,
/// not the user at their usual desk or phone; and it has its own budget in the per-address limit. One cookie per user,
/// so colleagues sharing a control-room browser each keep theirs.
/// </summary>
public static class DeviceCookie
{
    private const string Prefix = "sp_device_";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    /// <summary>The device's id when the request carries this system's device cookie for <paramref name="username"/>.</summary>
    public static string? For(HttpRequest request, string username, SymmetricKey key) =>
        request.Cookies.TryGetValue(Prefix + username, out var value) ? Verify(value, username, key) : null;

    /// <summary>The id of any device cookie of this system the request carries, whoever it is for.</summary>
    public static string? Any(HttpRequest request, SymmetricKey key)
    {
        foreach (var (name, value) in request.Cookies)
        {
            if (name.StartsWith(Prefix, StringComparison.Ordinal) && Verify(value, name[Prefix.Length..], key) is { } device)
            {
                return device;
            }
        }

        return null;
    }

    public static void Issue(HttpContext http, string username, SymmetricKey key)
    {
        var device = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));
        http.Response.Cookies.Append(Prefix + username, device + "." + Mac(device, username, key), new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/api/auth",
            MaxAge = Lifetime,
            IsEssential = true,
        });
    }

    private static string? Verify(string value, string username, SymmetricKey key)
    {
        var dot = value.IndexOf('.');
        if (dot <= 0 || value.Length > 200)
        {
            return null;
        }

        var device = value[..dot];
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(value[(dot + 1)..]), Encoding.ASCII.GetBytes(Mac(device, username, key)))
            ? device
            : null;
    }

    private static string Mac(string device, string username, SymmetricKey key) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key.Bytes, Encoding.UTF8.GetBytes($"device|{username}|{device}")));
}

/// <summary>The device cookies' own key, derived from the token key so one secret serves both.</summary>
public sealed record SymmetricKey(byte[] Bytes)
{
    public static SymmetricKey? From(TokenService tokens) =>
        tokens.Key?.Key is { } key ? new SymmetricKey(HMACSHA256.HashData(key, "safetypatrol device cookie"u8)) : null;
}
