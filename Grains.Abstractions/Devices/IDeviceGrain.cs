namespace SafetyPatrol.Devices;

/// <summary>A device on the power, water, fire, gas or security system, keyed by its id from the site file.</summary>
public interface IDeviceGrain : IDeadlineTarget, IGrainWithStringKey
{
    /// <summary>Takes a telemetry message and evaluates the device's rules against it.</summary>
    Task Report(Reading reading);

    /// <summary>Takes several telemetry messages of this device in the order they came, as one call.</summary>
    Task ReportAll(IReadOnlyList<Reading> readings);

    /// <summary>Takes an <c>online</c>/<c>offline</c> status message.</summary>
    Task ReportStatus(bool online);

    /// <summary>Activates the device so its heartbeat is watched even if it never speaks.</summary>
    Task Start();

    /// <summary>
    /// The device connected to <paramref name="node"/>: the grain moves there, with its state and deadlines, once it is
    /// idle, so that its readings are calls within that node rather than across the cluster; at most once in a while
    /// (ten minutes), so a device connected to two nodes does not send it back and forth.
    /// </summary>
    [OneWay]
    Task ConnectedTo(SiloAddress node);

    /// <summary>The site changed this grain's part: it starts afresh on the new site (or stops, if it is gone).</summary>
    Task Reload();

    Task<DeviceStatus?> GetStatus();

    /// <summary>Its security zone was armed or disarmed: rules that count only while armed are evaluated again.</summary>
    Task ArmingChanged(bool armed);
}

/// <summary>A grain woken by the silo's deadline scheduler at the time it asked for.</summary>
public interface IDeadlineTarget : IAddressable
{
    Task OnDeadline();
}
