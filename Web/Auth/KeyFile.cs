using System.Security.Cryptography;

namespace SafetyPatrol.Web.Auth;

/// <summary>
/// A secret key kept in a file of its own: created at most once even when several processes start
/// together (written aside, then renamed into place), readable by this user only, and replaced
/// when it is found empty or damaged rather than failing every request.
/// </summary>
public static class KeyFile
{
    private const int MinimumBytes = 32;

    public static byte[] ReadOrCreate(string path, ILogger logger)
    {
        if (TryRead(path, out var existing))
        {
            return existing;
        }

        var damaged = File.Exists(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        CreatePrivateFolder(folder);
        var key = RandomNumberGenerator.GetBytes(64);
        var aside = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(aside, create))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Convert.ToBase64String(key));
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        try
        {
            // A damaged key is replaced; a missing one is created only if no other process got there first.
            File.Move(aside, path, overwrite: damaged);
        }
        catch (IOException) when (!damaged && TryRead(path, out var theirs))
        {
            File.Delete(aside);
            return theirs;
        }

        if (damaged)
        {
            logger.LogWarning("The key file {Path} was empty or damaged and has been replaced; tokens signed before are no longer valid", path);
        }

        return key;
    }

    /// <summary>Creates a folder only this user may enter (0700); an existing folder is left as it is.</summary>
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

    private static bool TryRead(string path, out byte[] key)
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
