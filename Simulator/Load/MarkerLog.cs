using System.Globalization;
using System.Text;

namespace SafetyPatrol.Simulator.Load;

/// <summary>
/// Every marker of a run as CSV (<c>--markers-out</c>), one row per console that was to time it: the run's own console
/// (<c>all</c>, every site) and each console of the marker's site (its number, in the order they connected). For
/// finding when in a run the slow markers came and through which node, beside a node's log, metrics or traces; the
/// report keeps only their percentiles. <c>handled</c> is when the system handled the marker's reading, by its own clock (the
/// alert's <c>lastChangedAt</c>, as the run's console received it): with the system on the same machine, it splits a
/// latency into the way in (MQTT to the device's grain) and the way out (push, hub, the console).
/// </summary>
/// <remarks>Site and device ids are <c>[A-Za-z0-9._-]</c> (the site validator's rule), so no cell needs quoting.</remarks>
public static class MarkerLog
{
    public const string Header = "device,site,node,value,sent,handled,console,received,latency_ms";

    /// <summary>Writes the rows of every marker sent (in the order sent) and answers how many were written.</summary>
    public static async Task<int> Write(string path, IEnumerable<Marker> markers, IReadOnlyList<Broker> brokers, IReadOnlyDictionary<string, string> siteOf,
        SiteConsoles? consoles)
    {
        var rows = 0;
        var text = new StringBuilder(Header).Append('\n');
        foreach (var marker in markers.Where(m => m.SentAt is not null).OrderBy(m => m.SentAt))
        {
            var prefix = string.Create(CultureInfo.InvariantCulture,
                $"{marker.DeviceId},{siteOf.GetValueOrDefault(marker.DeviceId)},{brokers[marker.Broker]},{marker.Value},{Time(marker.SentAt)},{Time(marker.HandledAt)}");
            IEnumerable<(string Console, DateTimeOffset? ReceivedAt)> deliveries =
                [("all", marker.SeenAt), .. (consoles?.DeliveriesOf(marker) ?? []).Select(d => (d.Console.ToString(CultureInfo.InvariantCulture), d.ReceivedAt))];
            foreach (var (console, received) in deliveries)
            {
                var latency = received - marker.SentAt;
                text.Append(CultureInfo.InvariantCulture, $"{prefix},{console},{Time(received)},{latency?.TotalMilliseconds:0.###}\n");
                rows++;
            }
        }

        await File.WriteAllTextAsync(path, text.ToString(), CancellationToken.None);
        return rows;
    }

    private static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture) ?? "";
}
