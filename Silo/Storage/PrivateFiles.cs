namespace SafetyPatrol.Silo.Storage;

/// <summary>The data folder and the files in it (the database, backups) are readable by the node's own user only.</summary>
public static class PrivateFiles
{
    public static void CreateFolder(string folder)
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

    /// <summary>
    /// Creates the file, empty and readable by this user only (0600), unless it is there already (also when another process
    /// or silo creates it at the same moment: it is then opened, and left as it is).
    /// </summary>
    public static void CreateFile(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            new FileStream(path, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }).Dispose();
        }
    }
}
