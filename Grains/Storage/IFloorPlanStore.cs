using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Storage;

/// <summary>Building floor plans and the places set on them (docs/interface.md §13).</summary>
public interface IFloorPlanStore
{
    /// <summary>Keeps the plan; with <paramref name="image"/> null, the picture already kept stays.</summary>
    Task SavePlan(FloorPlan plan, byte[]? image);

    Task<FloorPlan?> GetPlan(string buildingId, int floor);

    Task<byte[]?> GetPlanImage(string buildingId, int floor);
}
