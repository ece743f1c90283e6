using MiniExcel = MiniExcelLibs.MiniExcel;
using SafetyPatrol.Reports;

namespace SafetyPatrol.Web.Api;

/// <summary>A report as named tables, in both languages: one sheet each in XLSX, one block each in CSV.</summary>
public static class ReportTables
{
    public sealed record Table(string Name, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<object?>> Rows);

    public static IReadOnlyList<Table> Of(Report report) =>
    [
        new("概况 Summary", ["项目 Item", "值 Value"],
        [
            ["站点 Site", report.Site], ["报表 Report", report.Kind], ["期间 Period", report.Period], ["时区 Time zone", report.TimeZone],
            ["巡检完成 Inspections done", report.Inspections.Sum(i => i.Done)], ["漏检 Inspections missed", report.Inspections.Sum(i => i.Missed)],
            ["发现问题 Findings", report.Findings.Count(f => f.Note is not null || f.Value is null)],
            ["告警 Alerts", report.Alerts.Sum(a => a.Count)],
            ["巡更 Rounds", report.Rounds.Total], ["完成 Completed", report.Rounds.Completed], ["未完成 Missed", report.Rounds.Missed],
            ["新报修 Tickets opened", report.Tickets.Opened], ["已验收 Signed off", report.Tickets.SignedOff], ["未结 Open at end", report.Tickets.OpenAtEnd],
            ["超时 Overdue", report.Tickets.Overdue],
            .. (report.ByClass ?? []).Select(c => (IReadOnlyList<object?>)[$"告警类别 Alerts of class {c.Class}", c.Count]),
            ["访客 Visitors", report.Visitors?.Count ?? 0],
        ]),
        new("巡检 Inspections", ["巡检点 Checkpoint", "名称 Name", "楼宇 Building", "房间 Room", "完成 Done", "漏检 Missed", "问题 Findings", "最近 Last", "巡查员 Officer"],
            [.. report.Inspections.Select(i => (IReadOnlyList<object?>)[i.CheckpointId, i.Name, i.Building, i.Room, i.Done, i.Missed, i.Findings, i.LastAt, i.LastOfficer])]),
        new("发现 Findings", ["时间 At", "巡检点 Checkpoint", "项目 Item", "读数 Value", "备注 Note", "巡查员 Officer", "照片 Photo"],
            [.. report.Findings.Select(f => (IReadOnlyList<object?>)[f.At, f.Checkpoint, f.Item, f.Value, f.Note, f.Officer, f.PhotoId])]),
        new("告警 Alerts", ["类型 Type", "级别 Severity", "类别 Class", "次数 Count"],
            [.. report.Alerts.Select(a => (IReadOnlyList<object?>)[a.Type, a.Severity, a.Class, a.Count])]),
        new("报修 Tickets", ["编号 Id", "标题 Title", "状态 Status", "报修人 Reporter", "维修人 Assignee", "创建 Created", "完成 Done", "验收 Signed off"],
            [.. report.Tickets.Items.Select(t => (IReadOnlyList<object?>)[t.Id, t.Title, t.Status, t.Reporter, t.Assignee, t.CreatedAt, t.DoneAt, t.SignedOffAt])]),
        new("访客 Visitors", ["通行证 Pass", "姓名 Name", "电话 Phone", "证件号 ID (masked)", "被访人 Host", "地点 Place", "事由 Purpose", "到达 Arrived", "预计离开 Expected", "离开 Left", "登记 Registered by", "超时 Overdue"],
            [.. (report.Visitors ?? []).Select(v => (IReadOnlyList<object?>)[v.Pass, v.Name, v.Phone, v.IdNumberMasked, v.HostName, v.HostPlace, v.Purpose, v.ArrivedAt, v.ExpectedDeparture, v.DepartedAt, v.RegisteredBy, v.Overdue])]),
    ];

    public static IResult Csv(Report report) => Csv($"{report.Kind}-{report.Period}", Of(report));

    public static IResult Xlsx(Report report) => Xlsx($"{report.Kind}-{report.Period}", Of(report));

    /// <summary>The tables one after another, each under its name, as <paramref name="name"/>.csv.</summary>
    public static IResult Csv(string name, IReadOnlyList<Table> tables) => Api.Csv.File($"{name}.csv",
        tables.SelectMany(t => t.Rows.Prepend([.. t.Header]).Prepend([t.Name]).Append([])));

    /// <summary>One sheet per table, as <paramref name="name"/>.xlsx.</summary>
    public static IResult Xlsx(string name, IReadOnlyList<Table> tables)
    {
        // Sheet names may not hold some characters and are at most 31 long; these are short and plain. Text that a
        // spreadsheet would take for a formula once a cell is edited is neutralised as in the CSV.
        var sheets = tables.ToDictionary(t => t.Name, t => (object)t.Rows.Select(row =>
            t.Header.Zip(row, (h, v) => (h, v switch
            {
                DateTimeOffset at => at.ToString("yyyy-MM-dd HH:mm:ssK"),
                string text => SpreadsheetText.Neutralise(text),
                _ => v,
            })).ToDictionary(p => p.h, p => p.Item2)).ToList());
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, sheets);
        return Results.File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{name}.xlsx");
    }
}
