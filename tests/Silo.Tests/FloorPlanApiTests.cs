using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyPatrol.Silo.Tests.Infrastructure;
using SkiaSharp;

namespace SafetyPatrol.Silo.Tests;

/// <summary>docs/interface.md §13: building floor plans through HttpClient: upload, placing, what is refused, and who sees them.</summary>
[Collection(SitesSystemCollection.Name)]
public sealed class FloorPlanApiTests(SitesSystemFixture system)
{
    public static byte[] Png(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(SKColors.LightGray);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static ByteArrayContent Body(byte[] data, string type) => new(data) { Headers = { ContentType = new MediaTypeHeaderValue(type) } };

    [Fact]
    public async Task AnAdminUploadsAPlanAndPlacesTheFloorsThingsOnItAndWhatIsWrongIsRefusedWithNothingChanged()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        using var op = await system.Operator();
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync("/api/buildings/b-b/floors/1/plan")).StatusCode);

        // Not an image, too large, a floor the building lacks, an operator: refused, and no plan is made.
        var notImage = await admin.PutAsync("/api/buildings/b-b/floors/1/plan/image", Body("just text"u8.ToArray(), "image/png"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notImage.StatusCode);
        Assert.Contains("PNG, JPEG or SVG", (await notImage.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await admin.PutAsync("/api/buildings/b-b/floors/1/plan/image", Body(new byte[10 * 1024 * 1024 + 1], "image/png"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsync("/api/buildings/b-b/floors/7/plan/image", Body(Png(40, 30), "image/png"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PutAsync("/api/buildings/b-b/floors/1/plan/image", Body(Png(40, 30), "image/png"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync("/api/buildings/b-b/floors/1/plan")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync("/api/buildings/b-b/floors/1/plan/positions", new { positions = new[] { new { id = "b-meter", x = 0.5, y = 0.5 } } })).StatusCode);

        // A PNG: kept as a PNG of its size.
        var uploaded = await (await admin.PutAsync("/api/buildings/b-b/floors/1/plan/image", Body(Png(40, 30), "image/png"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("image/png", 40, 30), (uploaded.GetProperty("contentType").GetString(), uploaded.GetProperty("width").GetInt32(), uploaded.GetProperty("height").GetInt32()));

        // Places: something of another floor or building, outside the picture, twice: all refused together, nothing kept.
        var wrong = await admin.PutAsJsonAsync("/api/buildings/b-b/floors/1/plan/positions", new
        {
            positions = new object[] { new { id = "a-meter", x = 0.5, y = 0.5 }, new { id = "b-cp", x = 1.5, y = 0.2 }, new { id = "b-r", x = 0.1, y = 0.1 }, new { id = "b-r", x = 0.2, y = 0.2 } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var problems = (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("positions").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("'a-meter' is not a room, device or checkpoint of floor 1"));
        Assert.Empty((await op.GetFromJsonAsync<JsonElement>("/api/buildings/b-b/floors/1/plan")).GetProperty("positions").EnumerateArray());

        var placed = await admin.PutAsJsonAsync("/api/buildings/b-b/floors/1/plan/positions", new
        {
            positions = new object[] { new { id = "b-meter", x = 0.25, y = 0.5 }, new { id = "b-cp", x = 0.75, y = 0.5 }, new { id = "b-r", x = 0.5, y = 0.1 } },
        });
        placed.EnsureSuccessStatusCode();
        var plan = await op.GetFromJsonAsync<JsonElement>("/api/buildings/b-b/floors/1/plan");
        Assert.Equal(["b-meter", "b-cp", "b-r"], plan.GetProperty("positions").EnumerateArray().Select(p => p.GetProperty("id").GetString()));

        // A new picture keeps the places; the picture is served as an image that cannot be taken for anything else.
        await admin.PutAsync("/api/buildings/b-b/floors/1/plan/image", Body(Png(80, 60), "image/png"));
        Assert.Equal(3, (await op.GetFromJsonAsync<JsonElement>("/api/buildings/b-b/floors/1/plan")).GetProperty("positions").GetArrayLength());
        var image = await op.GetAsync("/api/buildings/b-b/floors/1/plan/image");
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", image.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(80, SKBitmap.DecodeBounds(await image.Content.ReadAsByteArrayAsync()).Width);

        // An operator of school A does not see school B's plans.
        (await admin.PostAsJsonAsync("/api/users", new { username = "plan-a", password = SystemFixture.OperatorPassword, role = "operator", sites = new[] { "school-a" } })).EnsureSuccessStatusCode();
        using var opA = await system.SignIn("plan-a", SystemFixture.OperatorPassword);
        Assert.Equal(HttpStatusCode.NotFound, (await opA.GetAsync("/api/buildings/b-b/floors/1/plan")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await opA.GetAsync("/api/buildings/b-b/floors/1/plan/image")).StatusCode);
    }

    [Fact]
    public async Task AnSvgPlanIsKeptAsThePictureItDrawsWithNoScriptOrOutsideLinkLeft()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        const string Svg = """
            <?xml version="1.0"?>
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100" onload="alert(1)">
              <script>alert('plan')</script>
              <rect x="0" y="0" width="200" height="100" fill="#336699"/>
              <image xlink:href="file:///etc/passwd" width="10" height="10"/>
              <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
            </svg>
            """;
        var uploaded = await admin.PutAsync("/api/buildings/a-b/floors/1/plan/image", Body(Encoding.UTF8.GetBytes(Svg), "image/svg+xml"));
        uploaded.EnsureSuccessStatusCode();
        var plan = await uploaded.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("image/png", 2400, 1200), (plan.GetProperty("contentType").GetString(), plan.GetProperty("width").GetInt32(), plan.GetProperty("height").GetInt32()));

        var image = await (await admin.GetAsync("/api/buildings/a-b/floors/1/plan/image")).Content.ReadAsByteArrayAsync();
        Assert.DoesNotContain("script", Encoding.Latin1.GetString(image), StringComparison.OrdinalIgnoreCase);
        using var bitmap = SKBitmap.Decode(image);
        Assert.Equal(new SKColor(0x33, 0x66, 0x99), bitmap.GetPixel(1200, 600));

        // A drawing with a DTD (an entity bomb) is not read at all.
        var bomb = await admin.PutAsync("/api/buildings/a-b/floors/1/plan/image",
            Body(Encoding.UTF8.GetBytes("""<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">&a;</svg>"""), "image/svg+xml"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, bomb.StatusCode);
    }
}
