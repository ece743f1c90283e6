namespace SafetyPatrol.Visitors;

/// <summary>
/// The 18-character resident identity number of GB 11643: 17 digits and a check character by ISO 7064
/// MOD 11-2 (0-9 or X), the first 6 an area, the next 8 a date of birth.
/// </summary>
public static class IdCard
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>Upper-cased and without spaces, as it is checked, hashed and masked.</summary>
    public static string Normalize(string text) => text.Replace(" ", "", StringComparison.Ordinal).Trim().ToUpperInvariant();

    /// <summary>Null when valid; otherwise what is wrong.</summary>
    public static ProblemText? Problem(string normalized)
    {
        if (normalized.Length != 18 || !normalized[..17].All(char.IsAsciiDigit) || !(char.IsAsciiDigit(normalized[17]) || normalized[17] == 'X'))
        {
            return ProblemText.Of("idCard.format");
        }

        if (!DateOnly.TryParseExact(normalized.Substring(6, 8), "yyyyMMdd", out _))
        {
            return ProblemText.Of("idCard.birthDate");
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (normalized[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11] == normalized[17] ? null : ProblemText.Of("idCard.checkDigit");
    }

    /// <summary>The first 3 and last 4 characters, the rest starred.</summary>
    public static string Mask(string normalized) => normalized[..3] + new string('*', normalized.Length - 7) + normalized[^4..];
}
