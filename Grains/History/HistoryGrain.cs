using SafetyPatrol.Devices;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Grains.History;

/// <summary>Reads a device metric's history, folding the kept minutes into steps of the asked length.</summary>
[StatelessWorker]
public sealed class HistoryGrain(IHistoryStore store, [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IHistoryGrain
{
    public async Task<IReadOnlyList<HistoryPoint>> Query(HistoryQuery query)
    {
        var to = query.To ?? time.GetUtcNow();
        var from = query.From ?? to - HistoryQuery.DefaultSpan;
        var minutes = await store.QueryMinutes(query.DeviceId, query.Metric, from, to);
        var step = query.Step.Ticks;
        return [.. minutes
            .GroupBy(m => m.At.UtcTicks - m.At.UtcTicks % step)
            .Select(g =>
            {
                var count = g.Sum(m => m.Count);
                var last = g.MaxBy(m => m.LastAt)!;
                return new HistoryPoint(new DateTimeOffset(g.Key, TimeSpan.Zero), g.Min(m => m.Min), g.Sum(m => m.Sum) / count, g.Max(m => m.Max), last.Last, count);
            })];
    }
}
