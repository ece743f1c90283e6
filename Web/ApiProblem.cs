namespace SafetyPatrol.Web;

/// <summary>
/// Problem answers (RFC 9457) a page can show in its language. Each problem is a <see cref="ProblemText"/>: its English
/// (<c>errors</c> by field, or <c>detail</c>) is its key's text in <c>en.json</c>, and beside it go the key and values
/// (<c>errorKeys</c> by field, <c>detailKey</c>) for a page to look up in its own strings (docs/interface.md,
/// "Problems by key").
/// </summary>
public static class ApiProblem
{
    /// <summary>The extension beside <c>errors</c>: per field, each problem's <c>{key, args}</c> among the <c>err.*</c> strings.</summary>
    public const string ErrorKeys = "errorKeys";

    /// <summary>The extension beside <c>detail</c>: its <c>{key, args}</c> among the <c>err.*</c> strings.</summary>
    public const string DetailKey = "detailKey";

    /// <summary>A 400 naming what is wrong with each field.</summary>
    public static IResult Invalid(IEnumerable<(string Field, ProblemText Problem)> problems)
    {
        var byField = problems.GroupBy(p => p.Field, p => p.Problem, StringComparer.Ordinal).ToList();
        return Results.ValidationProblem(
            byField.ToDictionary(f => f.Key, f => f.Select(English).ToArray(), StringComparer.Ordinal),
            extensions: new Dictionary<string, object?> { [ErrorKeys] = byField.ToDictionary(f => f.Key, f => f.Select(Keyed).ToArray(), StringComparer.Ordinal) });
    }

    /// <summary>A 400 naming what is wrong with each field, one problem a field.</summary>
    public static IResult Invalid(IReadOnlyDictionary<string, ProblemText> problems) => Invalid(problems.Select(p => (p.Key, p.Value)));

    /// <summary>A 400 naming what is wrong with one field.</summary>
    public static IResult Invalid(string field, ProblemText problem) => Invalid([(field, problem)]);

    /// <summary>An answer of <paramref name="status"/> saying why.</summary>
    public static IResult Status(int status, ProblemText problem, string? title = null) =>
        Results.Problem(English(problem), statusCode: status, title: title, extensions: new Dictionary<string, object?> { [DetailKey] = Keyed(problem) });

    /// <summary>A 404 saying what is not there.</summary>
    public static IResult NotFound(string key, params (string Name, object? Value)[] args) => Status(StatusCodes.Status404NotFound, ProblemText.Of(key, args));

    /// <summary>The problem's text in English, as the console's English strings have it.</summary>
    public static string English(ProblemText problem) => Strings.For(Strings.English).T("err." + problem.Key, problem.Args);

    private static object Keyed(ProblemText problem) => new { key = problem.Key, args = problem.Args ?? new Dictionary<string, string>() };
}
