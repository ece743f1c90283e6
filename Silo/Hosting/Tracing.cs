using System.Diagnostics;

namespace SafetyPatrol.Silo.Hosting;

/// <summary>The system's own spans (docs/interface.md §12): a reading taken from MQTT is the root of its trace.</summary>
public static class Tracing
{
    public const string SourceName = "SafetyPatrol";

    public static readonly ActivitySource Source = new(SourceName);
}
