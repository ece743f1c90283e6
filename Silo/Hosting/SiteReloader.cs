using System.Text;
using System.Threading.Channels;
using SafetyPatrol.Alerts;
using SafetyPatrol.Devices;
using SafetyPatrol.Grains;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Patrols;
using SafetyPatrol.Push;
using SafetyPatrol.Security;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Silo.Hosting;

/// <summary>
/// Site changes without a restart (docs/interface.md §12). The node proposes its site file to the cluster's
/// <see cref="ISiteConfigGrain"/> at start and whenever the file changes; a valid file that differs becomes the
/// next version. Every node checks the agreed version every second and applies a newer one: new devices may
/// connect, removed ones are refused, and every device, checkpoint, route and room whose part changed starts
/// afresh on the new site. An invalid file is refused with every problem logged; the running site stays.
/// </summary>
public sealed partial class SiteReloader(
    IGrainFactory grains,
    SiteCatalog catalog,
    SiteSource source,
    SiteReadiness readiness,
    ILocalSiloDetails silo,
    [FromKeyedServices(AppClock.Key)] TimeProvider time,
    ILogger<SiteReloader> logger) : BackgroundService
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    private readonly Channel<bool> _fileChanged = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The start has proposed the text it started on (SiteBootstrapper) by the time the node is ready.
        while (!readiness.Ready)
        {
            await Task.Delay(CheckEvery, stoppingToken);
        }

        using var watcher = Watch();
        var file = WatchFile(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            await Retry(ApplyAgreed, stoppingToken);
            await Task.Delay(CheckEvery, stoppingToken);
        }

        await file;
    }

    private FileSystemWatcher? Watch()
    {
        if (source.Path is not { } path)
        {
            return null;
        }

        // A folder of sites: any of its site files; one site file: that file.
        var (folder, filter) = Directory.Exists(path) ? (path, "*.json") : (Path.GetDirectoryName(Path.GetFullPath(path)), Path.GetFileName(path));
        if (folder is null || !Directory.Exists(folder))
        {
            return null;
        }

        var watcher = new FileSystemWatcher(folder, filter) { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size };
        FileSystemEventHandler changed = (_, _) => _fileChanged.Writer.TryWrite(true);
        watcher.Changed += changed;
        watcher.Created += changed;
        watcher.Renamed += (_, _) => _fileChanged.Writer.TryWrite(true);
        watcher.Deleted += changed;
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    /// <summary>Proposes the file each time it changes, once the editor has finished writing it.</summary>
    private async Task WatchFile(CancellationToken stoppingToken)
    {
        try
        {
            while (await _fileChanged.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(Settle, stoppingToken);
                _fileChanged.Reader.TryRead(out _);
                await Retry(async () => Report(await grains.GetGrain<ISiteConfigGrain>(0).ReloadFromFile()), stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ApplyAgreed()
    {
        // Asked every second: the number alone, the text only when it is new.
        if (await grains.GetGrain<ISiteConfigGrain>(0).Version() <= catalog.Version)
        {
            return;
        }

        var agreed = await grains.GetGrain<ISiteConfigGrain>(0).Get();
        if (agreed.Version <= catalog.Version || agreed.Json is null)
        {
            return;
        }

        var sites = SiteLoader.ParseAll(Encoding.UTF8.GetBytes(agreed.Json), source.Path ?? "site");
        var changes = catalog.Apply(sites, agreed.Version);
        await Restart(changes);
        LogApplied(agreed.Version, changes.Added, changes.Removed, changes.Devices.Count, changes.Checkpoints.Count, changes.Routes.Count);
        await grains.GetGrain<IConsolePushGrain>(0).Push(new ConsoleEvent(ConsoleEvent.SiteChanged, new SiteChange(agreed.Version, time.GetUtcNow()), $"site/{silo.SiloAddress}", agreed.Version));
    }

    /// <summary>Every grain whose part changed starts afresh on the new site; one that is gone stops watching.</summary>
    private async Task Restart(SiteChanges changes)
    {
        await Task.WhenAll(changes.Devices.Select(id => grains.GetGrain<IDeviceGrain>(id).Reload()));
        await Task.WhenAll(changes.Checkpoints.Select(id => grains.GetGrain<ICheckpointGrain>(id).Reload()));
        await Task.WhenAll(changes.Routes.Select(id => grains.GetGrain<IRouteGrain>(id).Reload()));
        await Task.WhenAll(changes.Rooms.Select(id => grains.GetGrain<IRoomGrain>(id).Reload()));
        await Task.WhenAll(changes.Zones.Select(id => grains.GetGrain<IZoneGrain>(id).Reload()));
        await grains.GetGrain<IPatrolBoardGrain>(0).Forget(
            [.. changes.Checkpoints.Where(id => !catalog.Checkpoints.ContainsKey(id))], [.. changes.Routes.Where(id => !catalog.Routes.ContainsKey(id))]);
        await Task.WhenAll(changes.Devices.Where(catalog.Devices.ContainsKey).Select(id => grains.GetGrain<IDeviceGrain>(id).Start()));
        await Task.WhenAll(changes.Checkpoints.Where(catalog.Checkpoints.ContainsKey).Select(id => grains.GetGrain<ICheckpointGrain>(id).Start()));
        await Task.WhenAll(changes.Routes.Where(catalog.Routes.ContainsKey).Select(id => grains.GetGrain<IRouteGrain>(id).Start()));
        await Task.WhenAll(changes.Rooms.Where(catalog.Rooms.ContainsKey).Select(id => grains.GetGrain<IRoomGrain>(id).GetStatus()));
        await Task.WhenAll(changes.Zones.Where(catalog.Zones.ContainsKey).Select(id => grains.GetGrain<IZoneGrain>(id).Start()));
        // A device or room in another building now takes its repair there (AlarmHandlingGrain.Start), from a building gone too.
        await Task.WhenAll(changes.Buildings.Select(id => grains.GetGrain<IAlarmHandlingGrain>(id).Start()));
    }

    private void Report(SiteProposal proposal)
    {
        if (proposal.Problems.Count > 0)
        {
            LogRefused(proposal.Problems.Count, string.Join(Environment.NewLine, proposal.Problems.Select(p => "  - " + p)));
        }
        else if (proposal.Changed)
        {
            LogAgreed(proposal.Version);
        }
    }

    /// <summary>A call the cluster could not answer just now (starting, failing over) is tried again a second later.</summary>
    private async Task Retry(Func<Task> work, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await work();
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex, CheckEvery.TotalSeconds);
                await Task.Delay(CheckEvery, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Site version {Version} applied: {Added} added, {Removed} removed; {Devices} devices, {Checkpoints} checkpoints and {Routes} routes restarted")]
    private partial void LogApplied(int version, int added, int removed, int devices, int checkpoints, int routes);

    [LoggerMessage(Level = LogLevel.Information, Message = "The site file was accepted as version {Version}")]
    private partial void LogAgreed(int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The changed site file was refused; the running site stays. {Count} problem(s):\n{Problems}")]
    private partial void LogRefused(int count, string problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Site reload: the cluster did not answer; trying again in {Seconds} s")]
    private partial void LogFailed(Exception ex, double seconds);
}
