namespace SafetyPatrol.Silo.Notifications;

/// <summary>The HTTP client the channels share: 10 s for an answer (docs/interface.md §8).</summary>
public static class ChannelHttp
{
    public const string Name = "notify";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
}
