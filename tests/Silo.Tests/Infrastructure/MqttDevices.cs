using System.Diagnostics;
using MQTTnet;
using MQTTnet.Formatter;

namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>Real MQTT clients: MQTTnet and Debian's mosquitto_pub.</summary>
public static class MqttDevices
{
    public static async Task<IMqttClient> Connect(SystemFixture system, string deviceId, string secret, MqttProtocolVersion version = MqttProtocolVersion.V311)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", system.MqttPort)
            .WithCredentials(deviceId, secret)
            .WithClientId($"{deviceId}-{Guid.NewGuid():N}")
            .WithProtocolVersion(version)
            .Build();
        var result = await client.ConnectAsync(options);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new InvalidOperationException($"The broker refused {deviceId}: {result.ResultCode}");
        }

        return client;
    }

    /// <summary>Publishes at QoS 1: the broker acknowledges only after the message has been handled.</summary>
    public static Task Publish(this IMqttClient client, string topic, string payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());

    /// <summary>
    /// Runs mosquitto_pub with its default options (MQTT 3.1.1, empty client id, QoS 0), or at QoS 1,
    /// when it exits only once the broker has handled the message.
    /// </summary>
    public static Task<(int ExitCode, string Output)> MosquittoPub(SystemFixture system, string user, string password, string topic, string message, int qos = 0) =>
        MosquittoPub(system.MqttPort, user, password, topic, message, qos);

    /// <summary>Publishes with the stock client to a broker on 127.0.0.1 (a node started as a process).</summary>
    public static async Task<(int ExitCode, string Output)> MosquittoPub(int port, string user, string password, string topic, string message, int qos = 0)
    {
        var start = new ProcessStartInfo("mosquitto_pub")
        {
            ArgumentList = { "-h", "127.0.0.1", "-p", port.ToString(), "-u", user, "-P", password, "-t", topic, "-m", message, "-q", qos.ToString() },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
