namespace SafetyPatrol.Sites;

/// <summary>
/// A building floor's plan (docs/interface.md §13): the picture's type and size, and where rooms, devices and
/// checkpoints of that floor stand on it. The picture itself is kept beside it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FloorPlan(
    [property: Id(0)] string BuildingId,
    [property: Id(1)] int Floor,
    [property: Id(2)] string ContentType,
    [property: Id(3)] int Width,
    [property: Id(4)] int Height,
    [property: Id(5)] DateTimeOffset UpdatedAt,
    [property: Id(6)] string UpdatedBy,
    [property: Id(7)] IReadOnlyList<PlanPosition> Positions);

/// <summary>Where a room, device or checkpoint stands: <see cref="X"/> and <see cref="Y"/> from 0 to 1 across and down the picture.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanPosition([property: Id(0)] string Id, [property: Id(1)] double X, [property: Id(2)] double Y);

/// <summary>A floor's plan, keyed <c>{buildingId}/{floor}</c>.</summary>
public interface IFloorPlanGrain : IGrainWithStringKey
{
    /// <summary>The plan, or null when none was uploaded.</summary>
    Task<FloorPlan?> Get();

    /// <summary>The picture, or null when none was uploaded.</summary>
    Task<byte[]?> Image();

    /// <summary>A new picture; the places already set stay where they were, as fractions of it.</summary>
    Task<FloorPlanResult> SetImage(string contentType, int width, int height, byte[] image, string by);

    /// <summary>Where the floor's rooms, devices and checkpoints stand, all at once: each must be of this floor, once, inside the picture.</summary>
    Task<FloorPlanResult> SetPositions(IReadOnlyList<PlanPosition> positions, string by);
}

/// <summary>The plan as it now is, or what is wrong (nothing changed); <see cref="NotFound"/> when the building, floor or plan is not there.</summary>
[GenerateSerializer, Immutable]
public sealed record FloorPlanResult([property: Id(0)] FloorPlan? Plan, [property: Id(1)] IReadOnlyList<ProblemText> Problems, [property: Id(2)] bool NotFound = false);
