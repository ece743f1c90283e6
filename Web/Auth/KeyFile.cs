using System.Security.Cryptography;

namespace SafetyPatrol.Web.Auth;

/// <summary>The token key file earlier versions kept in the data folder, read once so that tokens it signed stay valid.</summary>
public static class KeyFile
{
    private const int MinimumBytes = 32;

    /// <summary>The key in the file, when there is a whole one.</summary>
    public static bool TryRead(string path, out byte[] key)
    {
        key = [];
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            return key.Length >= MinimumBytes;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or FormatException)
        {
            return false;
        }
    }
}
