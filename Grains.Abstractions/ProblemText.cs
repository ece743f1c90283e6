using System.Globalization;

namespace SafetyPatrol;

/// <summary>
/// What is wrong, said by a key among the console's <c>err.*</c> strings and its values, so that every page shows it in
/// its language; the API's English is the same key's text in <c>en.json</c> (docs/interface.md, "Problems by key").
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProblemText(
    [property: Id(0)] string Key,
    [property: Id(1)] IReadOnlyDictionary<string, string>? Args = null)
{
    /// <summary>The problem of <paramref name="key"/>, its values written as the invariant culture writes them.</summary>
    public static ProblemText Of(string key, params (string Name, object? Value)[] args) =>
        new(key, args.Length == 0 ? null : args.ToDictionary(a => a.Name, a => Convert.ToString(a.Value, CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal));
}
