namespace SafetyPatrol.Grains;

/// <summary>
/// The service key of the application clock. Orleans' runtime has its own <see cref="TimeProvider"/>;
/// ours is registered under this key so tests can fake site time without freezing the runtime.
/// </summary>
public static class AppClock
{
    public const string Key = "SafetyPatrol";
}
