using System.Collections.Concurrent;
using System.Text.Json;
using SafetyPatrol.Simulator.Clients;

namespace SafetyPatrol.Simulator.Load;

/// <summary>
/// Consoles of one site each (docs/interface.md §13), spread over the first sites of the run: each times the markers of
/// its own site's devices as their alerts reach it, and counts any alert of another site that reaches it (none should).
/// </summary>
public sealed class SiteConsoles : IAsyncDisposable
{
    private readonly List<(string Site, ConsoleListener Listener)> _consoles = [];
    private readonly IReadOnlyDictionary<string, string> _siteOf;
    private readonly MarkerProbe _markers;
    private readonly RunMetrics _metrics;
    private readonly ConcurrentDictionary<(Marker, int), DateTimeOffset> _seen = new();
    private long _foreign;

    private SiteConsoles(IReadOnlyDictionary<string, string> siteOf, MarkerProbe markers, RunMetrics metrics)
    {
        _siteOf = siteOf;
        _markers = markers;
        _metrics = metrics;
    }

    /// <summary>The sites with consoles.</summary>
    public IReadOnlySet<string> Sites => _consoles.Select(c => c.Site).ToHashSet();

    public int Count => _consoles.Count;

    /// <summary><paramref name="count"/> consoles over <paramref name="sites"/>, as evenly as they go, all signed in with one token.</summary>
    public static async Task<SiteConsoles> Connect(Uri url, string token, IReadOnlyList<string> sites, int count, IReadOnlyDictionary<string, string> siteOf,
        MarkerProbe markers, RunMetrics metrics, CancellationToken cancellationToken)
    {
        var consoles = new SiteConsoles(siteOf, markers, metrics);
        for (var i = 0; i < count; i++)
        {
            var site = sites[i % sites.Count];
            var listener = await ConsoleListener.Connect(url, token, cancellationToken, site);
            var index = i;
            listener.Received += (name, payload, at) => consoles.Observe(index, site, name, payload, at);
            consoles._consoles.Add((site, listener));
        }

        return consoles;
    }

    private void Observe(int console, string site, string name, JsonElement payload, DateTimeOffset at)
    {
        if (name is not ("alertRaised" or "alertUpdated") || payload.GetProperty("deviceId").GetString() is not { } device)
        {
            return;
        }

        if (_siteOf.GetValueOrDefault(device) != site)
        {
            Interlocked.Increment(ref _foreign);
            return;
        }

        if (payload.GetProperty("active").GetBoolean() && payload.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Number
            && _markers.Find(device, value.GetDouble()) is { SentAt: { } sent } marker && _seen.TryAdd((marker, console), at))
        {
            _metrics.SiteConsoleLatency(at - sent);
        }
    }

    /// <summary>Each console of the marker's site, numbered as they connected, and when the marker's alert reached it (null: never).</summary>
    public IEnumerable<(int Console, DateTimeOffset? ReceivedAt)> DeliveriesOf(Marker marker)
    {
        var site = _siteOf.GetValueOrDefault(marker.DeviceId);
        for (var i = 0; i < _consoles.Count; i++)
        {
            if (_consoles[i].Site == site)
            {
                yield return (i, _seen.TryGetValue((marker, i), out var at) ? at : null);
            }
        }
    }

    /// <summary>What the consoles saw: deliveries expected (each marker of a site with consoles, to each of them), made and missing; alerts of other sites received.</summary>
    public SiteConsoleReport Report(IEnumerable<Marker> sent)
    {
        var perSite = _consoles.GroupBy(c => c.Site).ToDictionary(g => g.Key, g => g.Count());
        var expected = sent.Where(m => m.SentAt is not null).Sum(m => perSite.GetValueOrDefault(_siteOf.GetValueOrDefault(m.DeviceId) ?? ""));
        return new SiteConsoleReport(_consoles.Count, perSite.Count, expected, _seen.Count, expected - _seen.Count, Interlocked.Read(ref _foreign), _metrics.SiteConsoles());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, listener) in _consoles)
        {
            await listener.DisposeAsync();
        }
    }
}

/// <summary>Consoles of one site each: how many, over how many sites; marker deliveries expected, made and missing; alerts of another site received (0 when scoping holds).</summary>
public sealed record SiteConsoleReport(int Consoles, int Sites, long Expected, long Delivered, long Missing, long Foreign, Percentiles LatencyMs);
