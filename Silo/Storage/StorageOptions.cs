using System.ComponentModel.DataAnnotations;

namespace SafetyPatrol.Silo.Storage;

/// <summary>The <c>SafetyPatrol:Storage</c> settings: how the node watches its own storage.</summary>
public sealed class StorageOptions
{
    public const string Section = "SafetyPatrol:Storage";

    /// <summary>Below this much free space on the data folder's disk the node reports itself unhealthy.</summary>
    [Range(0, 1_000_000)]
    public int MinFreeMegabytes { get; set; } = 16;

    /// <summary>How often free space, the database file and a failed store are checked.</summary>
    [Range(1, 3600)]
    public int CheckSeconds { get; set; } = 5;
}
