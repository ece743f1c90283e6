using Microsoft.Extensions.Options;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Silo.Storage;

/// <summary>
/// Checks the embedded store on its own, so trouble is seen before an alarm needs writing: free
/// space on its disk, the database file still being where it was opened (a new one is started if
/// the data folder was deleted), and, after a failed write, whether writing works again.
/// </summary>
public sealed partial class StoreWatch(
    RelationalStore store,
    StoreHealth health,
    IOptions<StorageOptions> options,
    TimeProvider time,
    ILogger<StoreWatch> logger) : BackgroundService
{
    private bool _low;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckSeconds), time);
        do
        {
            try
            {
                await Check();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                health.Report("watch", $"Cannot check {store.Where}: {ex.Message}");
                LogCheckFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task Check()
    {
        if (store is SqliteStore embedded)
        {
            CheckFolder(embedded);
        }

        // A failed write stays reported until a write works again; this one costs a row.
        if (health.Problem is not null)
        {
            try
            {
                await store.Probe();
            }
            catch (StoreUnavailableException)
            {
            }
        }

        health.Report("watch", null);
    }

    private void CheckFolder(SqliteStore store)
    {
        if (store.Reopen())
        {
            LogReopened(store.Path);
        }

        var free = new DriveInfo(store.Folder).AvailableFreeSpace / (1024 * 1024);
        var low = free < options.Value.MinFreeMegabytes;
        if (low != _low)
        {
            _low = low;
            LogSpace(free, store.Folder, low ? "too little: /health answers 503 until there is more" : "enough again");
        }

        health.Report("space", low
            ? $"Only {free} MiB free on the disk of {store.Folder} (SafetyPatrol:Storage:MinFreeMegabytes is {options.Value.MinFreeMegabytes})"
            : null);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The database {Path} was gone (the data folder deleted while running?); a new one was started there. What was stored before is not in it")]
    private partial void LogReopened(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Free} MiB free on the disk of {Folder}: {Verdict}")]
    private partial void LogSpace(long free, string folder, string verdict);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not check the data folder")]
    private partial void LogCheckFailed(Exception ex);
}
