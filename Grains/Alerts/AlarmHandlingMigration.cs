using Orleans.Storage;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Grains.Alerts;

/// <summary>
/// Until December 2026 one grain kept the periods and drills of every building, and every new alert waited on it. Now
/// each building keeps its own (<see cref="AlarmHandlingGrain"/>); at start the old record, when there is one, is handed
/// to the buildings it names and then cleared. Safe to run on every node at once: each building keeps what it has, and
/// only one node's clear goes through.
/// </summary>
public sealed class AlarmHandlingMigration(IGrainStateStore store, IGrainStorageSerializer serializer, SiteCatalog catalog, IGrainFactory grains)
{
    public const string LegacyStateName = "alarm-handling";

    /// <summary>The old grain's id: the integer key 0 of the same grain type.</summary>
    public static readonly string LegacyGrainId = GrainId.Create("alarmhandling", "0").ToString();

    /// <summary>What was handed over: periods and drills, and those of buildings no longer on any site (dropped).</summary>
    public async Task<(int Periods, int Drills, int Dropped)> Run()
    {
        if (await store.Read(LegacyStateName, LegacyGrainId) is not { } stored)
        {
            return (0, 0, 0);
        }

        var legacy = serializer.Deserialize<AlarmHandlingState>(new BinaryData(stored.Data)) ?? new AlarmHandlingState();
        var periods = legacy.OutOfService.Values.ToLookup(p => AlarmHandlingGrain.BuildingOf(catalog, p));
        var drills = legacy.Drills.ToLookup(d => (string?)d.BuildingId);
        var buildings = periods.Select(p => p.Key).Concat(drills.Select(d => d.Key)).Distinct().ToList();
        var handed = (Periods: 0, Drills: 0, Dropped: 0);
        foreach (var building in buildings)
        {
            OutOfService[] itsPeriods = [.. periods[building]];
            Drill[] itsDrills = [.. drills[building]];
            if (building is null || !catalog.Buildings.ContainsKey(building))
            {
                handed.Dropped += itsPeriods.Length + itsDrills.Length;
                continue;
            }

            await grains.GetGrain<IAlarmHandlingGrain>(building).Import(itsPeriods, itsDrills);
            handed.Periods += itsPeriods.Length;
            handed.Drills += itsDrills.Length;
        }

        try
        {
            await store.Clear(LegacyStateName, LegacyGrainId, stored.Etag);
        }
        catch (InconsistentStateException)
        {
            // Another node handed it over and cleared it first.
        }

        return handed;
    }
}
