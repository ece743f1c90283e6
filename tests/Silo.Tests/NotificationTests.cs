using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>docs/interface.md §8 through real clients: MQTT in, HTTP and SMTP out to local receivers, deliveries listed by the API.</summary>
[Collection(NotifySystemCollection.Name)]
public sealed class NotificationTests(NotifySystemFixture system)
{
    [Fact]
    public async Task ASmokeAlarmIsPostedToTheWebhookSignedWithItsDeliveryIdAndListedAsSent()
    {
        var alertId = await Smoke("hooks-smoke");

        var hook = await system.Hooks.Next("/ok", r => r.Body.Contains(alertId));

        var body = JsonDocument.Parse(hook.Body).RootElement;
        Assert.Equal(("alert.raised", "alert.raised"), (body.GetProperty("event").GetString(), hook.Header("X-SafetyPatrol-Event")));
        Assert.Equal(body.GetProperty("deliveryId").GetString(), hook.Header("X-SafetyPatrol-Delivery"));
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(NotifySystemFixture.WebhookSecret), Encoding.UTF8.GetBytes(hook.Body)));
        Assert.Equal(expected, hook.Header("X-SafetyPatrol-Signature"));
        Assert.Equal(("fire.smoke", "critical", 0), (body.GetProperty("alert").GetProperty("type").GetString(),
            body.GetProperty("alert").GetProperty("severity").GetString(), body.GetProperty("route").GetInt32()));
        Assert.Equal(("notify", $"{NotifySystemFixture.PublicUrl}/#/alerts/{alertId}"),
            (body.GetProperty("site").GetProperty("id").GetString(), body.GetProperty("consoleUrl").GetString()));

        var delivery = await Delivery(alertId, d => d.GetProperty("status").GetString() == "sent");
        Assert.Equal((hook.Header("X-SafetyPatrol-Delivery"), "duty", 1), (delivery.GetProperty("deliveryId").GetString(),
            delivery.GetProperty("channel").GetString(), delivery.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public async Task AShelvedAlarmThatOccursAgainIsNotNotifiedUntilItIsUnshelved()
    {
        var alertId = await Smoke("shelf-hook");
        Assert.Equal("alert.raised", (await system.Hooks.Next("/ok", r => r.Body.Contains(alertId))).Header("X-SafetyPatrol-Event"));
        using var http = await system.Operator();
        (await http.PostAsJsonAsync($"/api/alerts/{alertId}/shelve", new { minutes = 60, note = "false alarms while the detector is repaired" })).EnsureSuccessStatusCode();

        // While shelved it occurs again: counted, not notified.
        await Publish("shelf-hook", """{"smoke": false}""");
        await Publish("shelf-hook", """{"smoke": true}""");
        Assert.Equal(2, (await Alert(http, alertId)).GetProperty("occurrences").GetInt32());

        // Back from the shelf, the next occurrence is notified: the first notice after the raise is that one.
        (await http.PostAsJsonAsync($"/api/alerts/{alertId}/unshelve", new { note = "repaired" })).EnsureSuccessStatusCode();
        await Publish("shelf-hook", """{"smoke": false}""");
        await Publish("shelf-hook", """{"smoke": true}""");
        var next = JsonDocument.Parse((await system.Hooks.Next("/ok", r => r.Body.Contains(alertId))).Body).RootElement;
        Assert.Equal(("alert.reactivated", 3), (next.GetProperty("event").GetString(), next.GetProperty("alert").GetProperty("occurrences").GetInt32()));
    }

    private async Task Publish(string device, string payload)
    {
        var (exit, output) = await MqttDevices.MosquittoPub(system, device, "s", $"devices/{device}/telemetry", payload, qos: 1);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task AFailingWebhookIsTriedAgainWithBackoffAndTheSameDeliveryIdUntilItTakesIt()
    {
        var alertId = await Smoke("flaky-smoke");

        var first = await system.Hooks.Next("/flaky", r => r.Body.Contains(alertId));
        await system.Advance(TimeSpan.FromSeconds(4));
        var second = await system.Hooks.Next("/flaky", r => r.Body.Contains(alertId));
        await system.Advance(TimeSpan.FromSeconds(8));
        var third = await system.Hooks.Next("/flaky", r => r.Body.Contains(alertId));

        Assert.Single(new[] { first, second, third }.Select(r => r.Header("X-SafetyPatrol-Delivery")).Distinct());
        var delivery = await Delivery(alertId, d => d.GetProperty("status").GetString() == "sent");
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task AWebhookAnswering4xxIsNotTriedAgain()
    {
        var alertId = await Smoke("bad-smoke");
        await system.Hooks.Next("/bad", r => r.Body.Contains(alertId));

        var delivery = await Delivery(alertId, d => d.GetProperty("status").GetString() == "failed");
        await system.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
        Assert.StartsWith("HTTP 400", delivery.GetProperty("lastError").GetString());
        Assert.Equal(1, (await Deliveries(alertId)).Single().GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task WeComDingTalkAndFeishuGetTheirOwnMarkdownInTheirLanguageAndDingTalkAndFeishuAreSigned()
    {
        var alertId = await Smoke("robots-smoke");

        var wecom = JsonDocument.Parse((await system.Hooks.Next("/wecom", r => r.Body.Contains(alertId))).Body).RootElement;
        var dingTalkRequest = await system.Hooks.Next("/dingtalk", r => r.Body.Contains(alertId));
        var feishu = JsonDocument.Parse((await system.Hooks.Next("/feishu", r => r.Body.Contains(alertId))).Body).RootElement;

        Assert.Equal("markdown", wecom.GetProperty("msgtype").GetString());
        var text = wecom.GetProperty("markdown").GetProperty("content").GetString()!;
        Assert.StartsWith("**[紧急] 报警：烟感报警**\n> 检测到烟雾\n", text);
        Assert.Contains("- 地点: 综合楼 / 配电室", text);
        Assert.Contains("(Asia/Shanghai)", text);
        Assert.DoesNotContain("Smoke", text);

        var query = HttpUtility.ParseQueryString(dingTalkRequest.Query);
        var timestamp = query["timestamp"]!;
        Assert.Equal("ding-token", query["access_token"]);
        Assert.Equal(Sign(NotifySystemFixture.DingTalkSecret, $"{timestamp}\n{NotifySystemFixture.DingTalkSecret}"), query["sign"]);
        var dingTalk = JsonDocument.Parse(dingTalkRequest.Body).RootElement;
        Assert.Equal("markdown", dingTalk.GetProperty("msgtype").GetString());
        // Its channel is set to English: the same alarm, in the words of an English console.
        Assert.Equal("[Critical] Alarm: Smoke", dingTalk.GetProperty("markdown").GetProperty("title").GetString());
        var english = dingTalk.GetProperty("markdown").GetProperty("text").GetString()!;
        Assert.Contains("> Smoke detected\n", english);
        Assert.Contains("- Place: ", english);
        Assert.DoesNotContain("烟", english);

        var feishuTimestamp = feishu.GetProperty("timestamp").GetString()!;
        Assert.Equal(Sign($"{feishuTimestamp}\n{NotifySystemFixture.FeishuSecret}", ""), feishu.GetProperty("sign").GetString());
        Assert.Equal("interactive", feishu.GetProperty("msg_type").GetString());

        var deliveries = await Deliveries(alertId);
        Assert.Equal(3, deliveries.Count);
    }

    [Fact]
    public async Task TheDirectorGetsAnEmailThroughSmtp()
    {
        var alertId = await Smoke("mail-smoke");

        var mail = await system.Mail.Next(m => m.TextBody?.Contains(alertId) == true);

        Assert.Equal("director@school.test", mail.To.Mailboxes.Single().Address);
        Assert.Equal("patrol@school.test", mail.From.Mailboxes.Single().Address);
        Assert.Equal("[紧急] 报警：烟感报警 · 行政楼 / 校长室", mail.Subject);
        Assert.Contains("检测到烟雾", mail.TextBody);
        Assert.Contains(NotifySystemFixture.PublicUrl, mail.TextBody);
    }

    [Fact]
    public async Task AChannelThatHangsDelaysNeitherTheConsoleNorTheOtherChannelOfTheRoute()
    {
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));
        using var device = await MqttDevices.Connect(system, "slow-smoke", "s");

        var clock = Stopwatch.StartNew();
        var raised = console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "slow-smoke");
        await device.Publish("devices/slow-smoke/telemetry", """{"smoke": true}""");
        var alertId = (await raised).GetProperty("id").GetString()!;
        var toConsole = clock.Elapsed;

        await system.Hooks.Next("/slow", r => r.Body.Contains(alertId));
        await system.Hooks.Next("/ok", r => r.Body.Contains(alertId));

        Assert.InRange(toConsole, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Contains(await Deliveries(alertId), d => d.GetProperty("channel").GetString() == "slow" && d.GetProperty("status").GetString() == "pending");
    }

    [Fact]
    public async Task AnUnacknowledgedAlarmClimbsTheLadderWithRemindersUntilAcknowledged()
    {
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));
        var alertId = await Smoke("ladder-smoke");
        await system.Advance(TimeSpan.FromSeconds(119));
        using var http = await system.Operator();
        Assert.Equal(0, (await Alert(http, alertId)).GetProperty("escalationLevel").GetInt32());

        await system.Advance(TimeSpan.FromSeconds(1));
        var step = JsonDocument.Parse((await system.Hooks.Next("/ladder", r => r.Body.Contains(alertId))).Body).RootElement;
        var pushed = await console.Next("alertUpdated", a => a.GetProperty("id").GetString() == alertId && a.GetProperty("escalationLevel").GetInt32() == 1);

        Assert.Equal(("alert.escalated", 6), (step.GetProperty("event").GetString(), step.GetProperty("route").GetInt32()));
        Assert.Equal(1, step.GetProperty("alert").GetProperty("escalationLevel").GetInt32());
        var alert = await Alert(http, alertId);
        Assert.Equal(1, alert.GetProperty("escalationLevel").GetInt32());
        Assert.Contains(alert.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "escalated");

        await system.Advance(TimeSpan.FromSeconds(300));
        var reminder = JsonDocument.Parse((await system.Hooks.Next("/ladder", r => r.Body.Contains(alertId))).Body).RootElement;
        Assert.Equal("alert.reminder", reminder.GetProperty("event").GetString());

        (await http.PostAsJsonAsync($"/api/alerts/{alertId}/acknowledge", new { note = "on my way" })).EnsureSuccessStatusCode();
        await system.Advance(TimeSpan.FromSeconds(900));

        // Acknowledged: no further step or reminder is taken, whatever the clock does.
        var after = await Alert(http, alertId);
        Assert.Equal(1, after.GetProperty("escalationLevel").GetInt32());
        Assert.Equal(alert.GetProperty("ladder").GetProperty("steps")[0].GetProperty("takenAt").GetDateTimeOffset(),
            after.GetProperty("ladder").GetProperty("steps")[0].GetProperty("takenAt").GetDateTimeOffset());
        Assert.Equal(2, (await Deliveries(alertId, count: 2)).Count);
    }

    [Fact]
    public async Task AnOverdueInspectionNotifiesEachEscalationStepOnceItsSeverityMatchesARoute()
    {
        // Overdue a minute after start-up (a warning, below the route's minor), then one step a minute up to critical.
        await system.Advance(TimeSpan.FromMinutes(5));
        using var http = await system.Operator();
        var alert = (await http.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=all"))!.Single(a => a.GetProperty("checkpointId").GetString() == "cp-overdue");
        var alertId = alert.GetProperty("id").GetString()!;
        Assert.Equal(("critical", 3), (alert.GetProperty("severity").GetString(), alert.GetProperty("escalationLevel").GetInt32()));

        var deliveries = await Deliveries(alertId, count: 3);
        Assert.Equal(["alert.escalated", "alert.escalated", "alert.escalated"], deliveries.Select(d => d.GetProperty("event").GetString()));
        List<int> levels = [];
        for (var i = 0; i < 3; i++)
        {
            levels.Add(JsonDocument.Parse((await system.Hooks.Next("/ok", r => r.Body.Contains(alertId))).Body).RootElement
                .GetProperty("alert").GetProperty("escalationLevel").GetInt32());
        }

        Assert.Equal([1, 2, 3], levels.Order());
    }

    private async Task<string> Smoke(string device)
    {
        var (exit, output) = await MqttDevices.MosquittoPub(system, device, "s", $"devices/{device}/telemetry", """{"smoke": true}""", qos: 1);
        Assert.True(exit == 0, output);
        using var http = await system.Operator();
        var alerts = await http.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=all");
        return alerts!.Single(a => a.GetProperty("deviceId").GetString() == device).GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> Alert(HttpClient http, string id) => await http.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");

    private async Task<List<JsonElement>> Deliveries(string alertId, int count = 1)
    {
        using var http = await system.Operator();

        // A delivery is recorded a moment after it is handed over: asking again is the wait.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var deliveries = (await http.GetFromJsonAsync<JsonElement[]>($"/api/notifications?alertId={alertId}"))!.ToList();
            if (deliveries.Count >= count || DateTime.UtcNow > deadline)
            {
                return deliveries;
            }
        }
    }

    private async Task<JsonElement> Delivery(string alertId, Func<JsonElement, bool> match)
    {
        using var http = await system.Operator();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var deliveries = await http.GetFromJsonAsync<JsonElement[]>($"/api/notifications?alertId={alertId}");
            if (deliveries!.FirstOrDefault(match) is { ValueKind: JsonValueKind.Object } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No such delivery for {alertId}: {JsonSerializer.Serialize(deliveries)}");
        }
    }

    private static string Sign(string key, string data) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(data)));
}
