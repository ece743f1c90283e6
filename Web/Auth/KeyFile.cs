using System.Security.Cryptography;

namespace SafetyPatrol.Web.Auth;

/// <summary>
/// The token key file earlier versions kept in the data folder, read once so that tokens it signed
/// stay valid; and the private data folder and files themselves.
/// </summary>
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

    public static void CreatePrivateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Creates the file, empty and readable by this user only (0600), unless it is there already.</summary>
    public static void CreatePrivateFile(string path)
    {
        if (!OperatingSystem.IsWindows() && !File.Exists(path))
        {
            new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }).Dispose();
        }
    }
}
