using System.Globalization;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Patrols;

namespace SafetyPatrol.Silo.Storage;

/// <summary>Ledger compliance per site and day: one row each, the day as <c>yyyy-MM-dd</c> (which sorts as it reads).</summary>
public abstract partial class RelationalStore : IComplianceStore
{
    public Task AddCompliance(string siteId, DateOnly day, int onTime, int missed) => Execute("""
        INSERT INTO compliance (site_id, day, on_time, missed) VALUES (@s, @d, @o, @m)
        ON CONFLICT (site_id, day) DO UPDATE SET on_time = compliance.on_time + excluded.on_time, missed = compliance.missed + excluded.missed
        """,
        ("@s", siteId), ("@d", Day(day)), ("@o", onTime), ("@m", missed));

    public Task SetCompliance(string siteId, DateOnly day, ComplianceCounts counts) => Execute("""
        INSERT INTO compliance (site_id, day, on_time, missed) VALUES (@s, @d, @o, @m)
        ON CONFLICT (site_id, day) DO UPDATE SET on_time = excluded.on_time, missed = excluded.missed
        """,
        ("@s", siteId), ("@d", Day(day)), ("@o", counts.OnTime), ("@m", counts.Missed));

    public async Task<IReadOnlyList<ComplianceDay>> ComplianceDays(DateOnly first, DateOnly end, IReadOnlyList<string>? sites)
    {
        var names = (sites ?? []).Select((_, i) => $"@site{i}").ToList();
        var bySite = sites is null ? "" : names.Count == 0 ? " AND 1 = 0" : $" AND site_id IN ({string.Join(", ", names)})";
        await using var connection = await OpenReader();
        await using var command = Command(connection, $"SELECT site_id, day, on_time, missed FROM compliance WHERE day >= @first AND day < @end{bySite}",
            [("@first", Day(first)), ("@end", Day(end)), .. (sites ?? []).Select((s, i) => ($"@site{i}", (object?)s))]);
        await using var reader = await command.ExecuteReaderAsync();
        List<ComplianceDay> days = [];
        while (await reader.ReadAsync())
        {
            days.Add(new ComplianceDay(reader.GetString(0), DateOnly.ParseExact(reader.GetString(1), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                new ComplianceCounts(Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture), Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture))));
        }

        return days;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
