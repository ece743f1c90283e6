using System.Security.Cryptography;
using System.Text;

namespace SafetyPatrol.Grains.Users;

/// <summary>
/// PBKDF2-SHA256 password hashes stored as <c>pbkdf2-sha256$iterations$salt$hash</c>, at OWASP's
/// current 600,000 iterations; older hashes still verify and are replaced at the next sign-in.
/// </summary>
public static class PasswordHash
{
    public const int Iterations = 600_000;
    private const string Scheme = "pbkdf2-sha256";

    /// <summary>Verified against when there is no user, so an unknown username costs what a known one does.</summary>
    public static readonly string Nobody = Create(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));

    public static string Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out var iterations))
        {
            return false;
        }

        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(parts[2]), iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>True for a hash made with fewer iterations than today's.</summary>
    public static bool IsOutdated(string stored) =>
        stored.Split('$') is [Scheme, var iterations, _, _] && int.TryParse(iterations, out var n) && n < Iterations;
}
