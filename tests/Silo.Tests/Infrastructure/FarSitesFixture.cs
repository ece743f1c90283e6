namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>
/// Two sites a day apart: Kiritimati (UTC+14) and Pago Pago (UTC−11), 25 hours between their clocks, so at any instant
/// their calendars show different dates and a day of one site's calendar is never taken for the other's.
/// </summary>
public sealed class FarSitesFixture : SystemFixture
{
    public static readonly (string Id, string Room, string Zone)[] Sites =
    [
        ("east", "east-gate", "Pacific/Kiritimati"),
        ("west", "west-gate", "Pacific/Pago_Pago"),
    ];

    protected override IReadOnlyDictionary<string, string> SiteFolder => Sites.ToDictionary(s => s.Id + ".json", s => $$"""
        {
          "id": "{{s.Id}}", "name": "{{s.Id}} 校 School", "timeZone": "{{s.Zone}}",
          "buildings": [ { "id": "{{s.Id}}-b", "name": "{{s.Id}} 楼", "rooms": [ { "id": "{{s.Room}}", "name": "{{s.Id}} 门卫室" } ] } ]
        }
        """);

    /// <summary>The calendar date at <paramref name="at"/> on a site's clock, as the API takes it.</summary>
    public static string DateAt(string zone, DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
