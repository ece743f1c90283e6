using System.Net.Http.Headers;
using System.Net.Http.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>Real clients of a system started as a process: a signed-in HttpClient, a device publishing at QoS 1.</summary>
public static class ProcessClients
{
    public static async Task<HttpClient> SignIn(string baseUrl, string username, string password)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var token = await (await client.PostAsJsonAsync("/api/auth/token", new { username, password })).Read();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>Connects as the device, publishes at QoS 1 (acknowledged once the system took it) and disconnects.</summary>
    public static async Task Publish(int port, string device, string secret, string topic, string payload)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithCredentials(device, secret).Build());
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await client.DisconnectAsync();
    }
}
