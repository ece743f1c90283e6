using Microsoft.Extensions.Options;
using SafetyPatrol.Silo.Hosting;
using SafetyPatrol.Web;

namespace SafetyPatrol.Silo.Storage;

/// <summary>
/// The embedded store's folder belongs to one node at a time: a running node holds an exclusive lock on
/// <c>DataDir/node.lock</c>, so a second node (or a restore) on the same folder is refused instead of
/// corrupting the database. The operating system lets go of the lock when the process ends, however it ends.
/// </summary>
public sealed class DataDirLock : IDisposable
{
    public const string FileName = "node.lock";

    private readonly FileStream _file;

    private DataDirLock(FileStream file) => _file = file;

    /// <summary>Null when another process holds the folder.</summary>
    public static DataDirLock? TryAcquire(string dataDir)
    {
        PrivateFiles.CreateFolder(Path.GetFullPath(dataDir));
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            return new DataDirLock(new FileStream(Path.Combine(dataDir, FileName), options));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <exception cref="OptionsValidationException">Another node runs on the folder.</exception>
    public static DataDirLock Acquire(string dataDir) => TryAcquire(dataDir)
        ?? throw new OptionsValidationException("SafetyPatrol:DataDir", typeof(SafetyPatrolOptions),
            [$"SafetyPatrol:DataDir {Path.GetFullPath(dataDir)} is in use by another SafetyPatrol node (it holds {FileName}); stop it, or give this one a folder of its own."]);

    public void Dispose() => _file.Dispose();
}
