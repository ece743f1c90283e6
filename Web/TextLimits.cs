using System.Text;

namespace SafetyPatrol.Web;

/// <summary>
/// How long the texts a client sends may be (longer ones are refused with 400, nothing stored), and
/// how they are cleaned before they are kept: no control characters but line breaks and tabs, and
/// no bidirectional overrides, which would make a note display as something else.
/// </summary>
public static class TextLimits
{
    public const int Name = 100;
    public const int Password = 256;
    public const int Note = 2000;
    public const int Item = 200;
    public const int Findings = 64;

    /// <summary>The text without control and bidi-override characters, trimmed; null when nothing is left.</summary>
    public static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\n' or '\t' || !(char.IsControl(c) || IsBidiControl(c)))
            {
                clean.Append(c);
            }
        }

        var result = clean.ToString().Trim();
        return result.Length == 0 ? null : result;
    }

    private static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';
}
