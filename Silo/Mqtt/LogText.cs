using System.Globalization;
using System.Text;

namespace SafetyPatrol.Silo.Mqtt;

/// <summary>Text a client controls, made safe for one log line: short, no line breaks, no control or bidi characters.</summary>
public static class LogText
{
    public static string Clip(string? text, int max = 64)
    {
        if (text is null)
        {
            return "(none)";
        }

        var clean = new StringBuilder(Math.Min(text.Length, max) + 16);
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, max)))
        {
            var category = char.GetUnicodeCategory(c);
            clean.Append(category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                ? $"\\u{(int)c:x4}"
                : c);
        }

        return text.Length > max ? $"{clean}…({text.Length} chars)" : clean.ToString();
    }
}
