namespace SafetyPatrol.Sites;

/// <summary>Id globs with <c>*</c> (any run of characters) and <c>?</c> (one character).</summary>
public static class Glob
{
    public static bool Matches(string pattern, string value) => Matches(pattern.AsSpan(), value.AsSpan());

    public static bool MatchesAny(IReadOnlyList<string>? patterns, string value) =>
        patterns is null || patterns.Any(p => Matches(p, value));

    private static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> value)
    {
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == value[v]))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
