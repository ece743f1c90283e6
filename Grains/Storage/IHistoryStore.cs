using SafetyPatrol.Devices;

namespace SafetyPatrol.Grains.Storage;

/// <summary>Reading history in one-minute aggregates (docs/interface.md §10).</summary>
public interface IHistoryStore
{
    /// <summary>Adds the minutes to what is kept: a minute already there is merged with the new one (min, max, sums, the later last value).</summary>
    Task AddMinutes(IReadOnlyList<MinuteAggregate> minutes);

    /// <summary>The minutes of one device metric from <c>from</c> (inclusive) to <c>to</c> (exclusive), oldest first.</summary>
    Task<IReadOnlyList<MinuteAggregate>> QueryMinutes(string deviceId, string metric, DateTimeOffset from, DateTimeOffset to);

    /// <summary>Forgets minutes before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneHistory(DateTimeOffset before);
}
