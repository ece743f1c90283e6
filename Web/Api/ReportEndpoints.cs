using System.Globalization;
using SafetyPatrol.Reports;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Api;

/// <summary>Daily, monthly and shift-handover reports (CONTRACT §10) as JSON, CSV or XLSX.</summary>
public static class ReportEndpoints
{
    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/reports").RequireAuthorization(Policies.Operator);

        reports.MapGet("/daily", async (string? date, string? format, IGrainFactory grains) =>
            !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? Invalid("date", "A day as yyyy-MM-dd (site time), for example 2026-11-27.")
                : Answer(await grains.GetGrain<IReportGrain>(0).Daily(day), format));

        reports.MapGet("/monthly", async (string? month, string? format, IGrainFactory grains) =>
            !DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
                ? Invalid("month", "A month as yyyy-MM (site time), for example 2026-11.")
                : Answer(await grains.GetGrain<IReportGrain>(0).Monthly(first.Year, first.Month), format));

        reports.MapGet("/handover", async (DateTimeOffset? from, IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<IReportGrain>(0).Handover(from)));
    }

    private static IResult Answer(Report report, string? format) => format switch
    {
        null or "json" => Results.Ok(report),
        "csv" => ReportTables.Csv(report),
        "xlsx" => ReportTables.Xlsx(report),
        _ => Invalid("format", "json, csv or xlsx."),
    };

    private static IResult Invalid(string field, string message) => Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
