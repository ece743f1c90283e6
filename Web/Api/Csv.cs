using System.Text;

namespace SafetyPatrol.Web.Api;

/// <summary>
/// CSV as spreadsheets read it: RFC 4180 quoting, UTF-8 with a byte-order mark (so Excel on a Chinese
/// Windows reads 中文 right), and a text cell that would start a formula is prefixed with <c>'</c>
/// (<see cref="SpreadsheetText"/>), so an alert message cannot run in a spreadsheet.
/// </summary>
public static class Csv
{
    public static IResult File(string name, IEnumerable<IReadOnlyList<object?>> rows) =>
        Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Write(rows))).ToArray(), "text/csv; charset=utf-8", name);

    public static string Write(IEnumerable<IReadOnlyList<object?>> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendJoin(',', row.Select(Cell)).Append("\r\n");
        }

        return text.ToString();
    }

    private static string Cell(object? value)
    {
        var text = value switch
        {
            null => "",
            DateTimeOffset at => at.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture),
            IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        if (value is string)
        {
            text = SpreadsheetText.Neutralise(text);
        }

        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }
}
