using System.Globalization;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Site;

/// <summary>
/// A building floor's plan (see <see cref="IFloorPlanGrain"/>), kept in the store. The floor is that of the rooms on
/// it (a room without a floor is on floor 1); what may stand on it are those rooms and their devices and checkpoints.
/// </summary>
public sealed class FloorPlanGrain(IFloorPlanStore store, SiteCatalog catalog, [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IFloorPlanGrain
{
    private FloorPlan? _plan;
    private bool _loaded;

    /// <summary>The key of a building floor's plan grain.</summary>
    public static string Key(string buildingId, int floor) => $"{buildingId}/{floor.ToString(CultureInfo.InvariantCulture)}";

    public async Task<FloorPlan?> Get() => await Load();

    public async Task<byte[]?> Image() => await Load() is null ? null : await store.GetPlanImage(BuildingId, Floor);

    public async Task<FloorPlanResult> SetImage(string contentType, int width, int height, byte[] image, string by)
    {
        if (Places() is null)
        {
            return NoFloor();
        }

        var plan = new FloorPlan(BuildingId, Floor, contentType, width, height, time.GetUtcNow(), by, (await Load())?.Positions ?? []);
        await store.SavePlan(plan, image);
        _plan = plan;
        return new FloorPlanResult(plan, []);
    }

    public async Task<FloorPlanResult> SetPositions(IReadOnlyList<PlanPosition> positions, string by)
    {
        if (Places() is not { } places)
        {
            return NoFloor();
        }

        if (await Load() is not { } plan)
        {
            return new FloorPlanResult(null, [ProblemText.Of("plan.noPlanYet", ("floor", Floor), ("building", BuildingId))], NotFound: true);
        }

        var problems = new List<ProblemText>();
        foreach (var position in positions)
        {
            if (!places.Contains(position.Id))
            {
                problems.Add(ProblemText.Of("plan.notOnFloor", ("id", position.Id), ("floor", Floor), ("building", BuildingId)));
            }

            if (!(position.X is >= 0 and <= 1 && position.Y is >= 0 and <= 1))
            {
                problems.Add(ProblemText.Of("plan.outside", ("id", position.Id)));
            }
        }

        problems.AddRange(positions.GroupBy(p => p.Id).Where(g => g.Count() > 1).Select(g => ProblemText.Of("plan.placedTwice", ("id", g.Key))));
        if (problems.Count > 0)
        {
            return new FloorPlanResult(null, problems);
        }

        plan = plan with { Positions = [.. positions], UpdatedAt = time.GetUtcNow(), UpdatedBy = by };
        await store.SavePlan(plan, null);
        _plan = plan;
        return new FloorPlanResult(plan, []);
    }

    private string BuildingId => this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().LastIndexOf('/')];

    private int Floor => int.Parse(this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture);

    /// <summary>The ids that may stand on this floor; null when the building has no such floor.</summary>
    private HashSet<string>? Places()
    {
        var rooms = catalog.Rooms.Values.Where(r => r.Building.Id == BuildingId && (r.Room.Floor ?? 1) == Floor).ToList();
        return rooms.Count == 0 ? null : [.. rooms.SelectMany(r => r.DeviceIds.Concat(r.CheckpointIds).Prepend(r.Room.Id))];
    }

    private FloorPlanResult NoFloor() => new(null, [ProblemText.Of("plan.noFloor", ("building", BuildingId), ("floor", Floor))], NotFound: true);

    private async Task<FloorPlan?> Load()
    {
        if (!_loaded)
        {
            _plan = await store.GetPlan(BuildingId, Floor);
            _loaded = true;
        }

        return _plan;
    }
}
