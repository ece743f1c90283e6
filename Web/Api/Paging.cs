using SafetyPatrol.Paging;

namespace SafetyPatrol.Web.Api;

/// <summary>
/// Keyset paging of a list newest first (<c>GET /api/alerts</c>, <c>GET /api/audit</c>): the caller asks its query for one
/// entry more than the page, so a next page is named only when something is on it; the body stays the array, and the
/// next page is named in <c>X-Next-Cursor</c> and a <c>Link rel="next"</c>.
/// </summary>
public static class Paging
{
    public static IResult BadCursor() =>
        ApiProblem.Invalid("cursor", ProblemText.Of("cursor"));

    /// <summary>The page of <paramref name="fetched"/> (asked for <paramref name="size"/> + 1), naming the next page when there is more.</summary>
    public static IReadOnlyList<T> Page<T>(HttpContext http, IReadOnlyList<T> fetched, int size, Func<T, PageCursor> cursorOf)
    {
        if (fetched.Count <= size)
        {
            return fetched;
        }

        IReadOnlyList<T> page = [.. fetched.Take(size)];
        var next = cursorOf(page[^1]).Encode();
        var link = QueryString.Create([.. http.Request.Query.Where(q => q.Key != "cursor").Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString())),
            KeyValuePair.Create("cursor", (string?)next)]);
        http.Response.Headers["X-Next-Cursor"] = next;
        http.Response.Headers.Link = $"<{http.Request.Path}{link}>; rel=\"next\"";
        return page;
    }
}
