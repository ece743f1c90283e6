namespace SafetyPatrol.Web.Api;

/// <summary>
/// Text a spreadsheet must show and never run (OWASP CSV injection): a cell whose first character that is not
/// blank would start a formula (<c>= + - @</c>, or their full-width forms a Chinese input method types) is
/// prefixed with <c>'</c>. Leading tabs, carriage returns and spaces count as blank, because Excel and WPS
/// skip them and still read what follows as a formula. Used by the CSV and the XLSX writers alike.
/// </summary>
public static class SpreadsheetText
{
    public static string Neutralise(string text)
    {
        foreach (var c in text)
        {
            if (c is '\t' or '\r' or '\n' or ' ' or '\u3000')
            {
                continue;
            }

            return c is '=' or '+' or '-' or '@' or '＝' or '＋' or '－' or '＠' ? "'" + text : text;
        }

        // Nothing but blanks (or nothing): a tab or return on its own is harmless text.
        return text;
    }
}
