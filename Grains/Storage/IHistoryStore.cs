using SafetyPatrol.Devices;

namespace SafetyPatrol.Grains.Storage;

/// <summary>Reading history in one-minute aggregates (docs/interface.md §10).</summary>
public interface IHistoryStore
{
    /// <summary>
    /// The most minutes one <see cref="AddMinutes"/> writes as one statement, all or nothing. Well under either database's
    /// limit on parameters, and few enough that a write waiting behind one on SQLite's single writer (an alert's) waits for
    /// milliseconds, not the ~50 ms of 400 rows.
    /// </summary>
    const int MinutesPerWrite = 100;

    /// <summary>
    /// Adds the minutes to what is kept: a minute already there is merged with the new one (min, max, sums, the later last
    /// value), and so is one given twice. Up to <see cref="MinutesPerWrite"/> are one statement; more are several, and a
    /// failure may leave the first written.
    /// </summary>
    Task AddMinutes(IReadOnlyList<MinuteAggregate> minutes);

    /// <summary>The minutes of one device metric from <c>from</c> (inclusive) to <c>to</c> (exclusive), oldest first.</summary>
    Task<IReadOnlyList<MinuteAggregate>> QueryMinutes(string deviceId, string metric, DateTimeOffset from, DateTimeOffset to);

    /// <summary>Forgets minutes before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneHistory(DateTimeOffset before);
}
