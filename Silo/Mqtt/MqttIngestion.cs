using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;
using SafetyPatrol.Devices;
using SafetyPatrol.Grains;
using SafetyPatrol.Grains.Site;

namespace SafetyPatrol.Silo.Mqtt;

/// <summary>
/// The broker's policy: devices sign in with their id and secret, publish only under their own
/// <c>devices/{id}/</c>, and every accepted message goes to its device grain. Anything else is
/// dropped and counted; the connection carries on.
/// </summary>
public sealed partial class MqttIngestion(
    SiteCatalog catalog,
    IGrainFactory grains,
    IngestionCounters counters,
    FeedPacer pacer,
    ILocalSiloDetails silo,
    [FromKeyedServices(AppClock.Key)] TimeProvider time,
    ILogger<MqttIngestion> logger)
{
    // One feed per device, made once: it holds the device's grain reference (GetGrain resolves the interface's
    // type names on every call, a profile showed it taking 7.6 % of the CPU under load) and batches its readings.
    // Only devices of the site get here, so it stays bounded.
    private readonly ConcurrentDictionary<string, DeviceFeed> _feeds = new(StringComparer.Ordinal);
    // Clients can repeat these at will: one line a minute each, with the count in between.
    private readonly LogThrottle _refusedLog = new(time, TimeSpan.FromMinutes(1));
    private readonly LogThrottle _failedLog = new(time, TimeSpan.FromMinutes(1));

    public void Attach(MqttServer server)
    {
        server.ValidatingConnectionAsync += ValidateConnection;
        server.ClientConnectedAsync += ClientConnected;
        server.InterceptingPublishAsync += InterceptPublish;
        server.InterceptingSubscriptionAsync += InterceptSubscription;
    }

    private Task ValidateConnection(ValidatingConnectionEventArgs args)
    {
        if (!catalog.Devices.TryGetValue(args.UserName ?? "", out var device) || !SameSecret(device.Device.Secret, args.Password))
        {
            args.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            counters.RefusedConnection();
            if (_refusedLog.TryEnter(out var skipped))
            {
                LogRefused(LogText.Clip(args.UserName), args.RemoteEndPoint?.ToString(), skipped);
            }

            return Task.CompletedTask;
        }

        if (string.IsNullOrEmpty(args.ClientId))
        {
            // MQTT 5 clients learn the id from CONNACK; 3.1.1 ones were given one by ConnectRewrite.
            args.AssignedClientIdentifier = "sp-" + Guid.NewGuid().ToString("N");
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A device's grain comes to the node that holds its connection: each of its readings is then a call within the
    /// node, not a message across the cluster and its answer back. Where nodes take devices in turn, half of them would
    /// otherwise send every reading to the other node. The grain moves once idle, and calls meanwhile reach it wherever
    /// it is. Once a connection, not on the reading's path.
    /// </summary>
    private Task ClientConnected(ClientConnectedEventArgs args)
    {
        if (catalog.Devices.ContainsKey(args.UserName ?? ""))
        {
            Feed(args.UserName!).Grain.ConnectedTo(silo.SiloAddress).Ignore();
        }

        return Task.CompletedTask;
    }

    private async Task InterceptPublish(InterceptingPublishEventArgs args)
    {
        // Nothing subscribes to device topics through this broker: skip routing and retained storage.
        args.ProcessPublish = false;
        var deviceId = args.UserName ?? "";
        var topic = Classify(args.ApplicationMessage.Topic, deviceId);
        if (topic == TopicKind.Foreign)
        {
            Drop(DropReason.ForeignTopic, deviceId, args.ApplicationMessage.Topic);
            return;
        }

        if (!catalog.Devices.ContainsKey(deviceId))
        {
            Drop(DropReason.RemovedDevice, deviceId, args.ApplicationMessage.Topic);
            _feeds.TryRemove(deviceId, out _);
            args.CloseConnection = true;
            return;
        }

        var feed = Feed(deviceId);
        if (feed.TakeLoss())
        {
            // Readings nobody waited for (QoS 0) were lost: the device reconnects, perhaps to another node.
            args.CloseConnection = true;
        }

        var payload = args.ApplicationMessage.Payload;
        try
        {
            switch (topic)
            {
                case TopicKind.Telemetry:
                    if (!TelemetryParser.TryParse(payload, time.GetUtcNow(), out var reading, out var reason))
                    {
                        Drop(reason, deviceId, args.ApplicationMessage.Topic);
                        return;
                    }

                    // QoS 1: the PUBACK leaves when this returns, so only once the grain has taken the reading.
                    await feed.Send(reading!, untilTaken: args.ApplicationMessage.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce);
                    break;
                case TopicKind.Status:
                    var status = payload.Length <= 16 ? Encoding.UTF8.GetString(payload).Trim().Trim('"') : "";
                    if (status is not ("online" or "offline"))
                    {
                        Drop(DropReason.BadStatus, deviceId, args.ApplicationMessage.Topic);
                        return;
                    }

                    // After the readings before it, which are counted (or dropped) by the feed.
                    await feed.Drained();
                    await feed.Grain.ReportStatus(status == "online");
                    counters.Status();
                    break;
                default:
                    Drop(DropReason.UnknownTopic, deviceId, args.ApplicationMessage.Topic);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not taken (a silo lost, storage down): no PUBACK. Closing the connection makes a QoS 1 device send it again,
            // and stands for any QoS 0 readings lost with it.
            feed.TakeLoss();
            args.CloseConnection = true;
            if (topic == TopicKind.Status)
            {
                Failed(ex, deviceId, 1);
            }
        }
    }

    private DeviceFeed Feed(string deviceId) => _feeds.GetOrAdd(deviceId, static (id, ingestion) => ingestion.NewFeed(id), this);

    private DeviceFeed NewFeed(string deviceId) =>
        new(deviceId, grains.GetGrain<IDeviceGrain>(deviceId), pacer, counters.Accepted, (ex, readings) => Failed(ex, deviceId, readings));

    private void Failed(Exception ex, string deviceId, int messages)
    {
        if (ex is OperationCanceledException)
        {
            return;
        }

        counters.Dropped(DropReason.Failed, messages);
        if (_failedLog.TryEnter(out var skipped))
        {
            LogFailed(ex, deviceId, skipped);
        }
    }

    private enum TopicKind { Foreign, Telemetry, Status, Unknown }

    /// <summary>Which of the device's own topics <c>devices/{id}/…</c> this is, without allocating on the hot path.</summary>
    private static TopicKind Classify(string topic, string deviceId)
    {
        const string Root = "devices/";
        var span = topic.AsSpan();
        var kindAt = Root.Length + deviceId.Length + 1;
        if (deviceId.Length == 0 || span.Length < kindAt || !span.StartsWith(Root, StringComparison.Ordinal)
            || !span[Root.Length..].StartsWith(deviceId, StringComparison.Ordinal) || span[kindAt - 1] != '/')
        {
            return TopicKind.Foreign;
        }

        return span[kindAt..] switch
        {
            "telemetry" => TopicKind.Telemetry,
            "status" => TopicKind.Status,
            _ => TopicKind.Unknown,
        };
    }

    private Task InterceptSubscription(InterceptingSubscriptionEventArgs args)
    {
        // Devices only publish; nobody may read other devices' telemetry through this broker.
        args.ProcessSubscription = false;
        args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        return Task.CompletedTask;
    }

    private void Drop(DropReason reason, string deviceId, string topic)
    {
        counters.Dropped(reason);
        LogDropped(deviceId, LogText.Clip(topic, 128), reason);
    }

    private static bool SameSecret(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection refused for '{Device}' from {Remote}: unknown device or wrong secret ({Skipped} more refused since the last such line)")]
    private partial void LogRefused(string device, string? remote, long skipped);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dropped a message from {Device} on {Topic}: {Reason}")]
    private partial void LogDropped(string device, string topic, DropReason reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A message from {Device} could not be handled ({Skipped} more failed since the last such line)")]
    private partial void LogFailed(Exception ex, string device, long skipped);
}
