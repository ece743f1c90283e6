using System.Security.Cryptography;
using System.Text;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Visitors;

namespace SafetyPatrol.Grains.Visitors;

/// <summary>
/// Checks what the guard entered (every problem at once, nothing saved unless all is well), masks and hashes
/// the ID-card number, and opens the visit. Also finds visitors: on site, by day, by pass, name, phone or ID.
/// </summary>
[StatelessWorker]
public sealed class VisitorDeskGrain(
    SiteCatalog catalog,
    IVisitorStore store,
    IPhotoStore photos,
    ISecretStore secrets,
    [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IVisitorDeskGrain
{
    /// <summary>The longest visit one registration covers.</summary>
    public static readonly TimeSpan LongestVisit = TimeSpan.FromDays(7);

    private const string PassCharacters = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const int PassLength = 8;

    private byte[]? _idKey;

    public async Task<VisitorResult> Register(NewVisitor visitor)
    {
        var now = time.GetUtcNow();
        var problems = new Dictionary<string, ProblemText>();
        string Required(string field, string? value, int max)
        {
            var text = value?.Trim() ?? "";
            if (text.Length == 0 || text.Length > max)
            {
                problems[field] = ProblemText.Of("required", ("max", max));
            }

            return text;
        }

        var name = Required("name", visitor.Name, 64);
        var phone = Required("phone", visitor.Phone, 20);
        if (!problems.ContainsKey("phone") && (phone.Count(char.IsAsciiDigit) < 5 || phone.Any(c => !char.IsAsciiDigit(c) && c is not ('+' or '-' or ' '))))
        {
            problems["phone"] = ProblemText.Of("phone");
        }

        var idNumber = IdCard.Normalize(visitor.IdNumber ?? "");
        if (IdCard.Problem(idNumber) is { } idProblem)
        {
            problems["idNumber"] = idProblem;
        }

        var hostName = Required("hostName", visitor.HostName, 64);
        var purpose = Required("purpose", visitor.Purpose, 200);
        var room = catalog.Rooms.GetValueOrDefault(visitor.HostRoomId?.Trim() ?? "");
        if (room is null)
        {
            problems["hostRoomId"] = ProblemText.Of("hostRoom", ("room", visitor.HostRoomId));
        }

        if (visitor.ExpectedDeparture is not { } departure || departure <= now || departure > now + LongestVisit)
        {
            problems["expectedDeparture"] = visitor.ExpectedDeparture <= now
                ? ProblemText.Of("departurePast")
                : ProblemText.Of("departureRange");
        }

        if (visitor.PhotoId is { } photoId && (!Guid.TryParse(photoId, out _) || await photos.GetPhoto(photoId) is null))
        {
            problems["photoId"] = ProblemText.Of("photoMissing", ("photo", photoId));
        }

        if (problems.Count > 0)
        {
            return new VisitorResult(VisitorOutcome.Invalid, null, problems);
        }

        var hash = await Hash(idNumber);
        var id = Guid.CreateVersion7(now).ToString();
        var registered = new Visitor(id, NewPass(), name, phone, IdCard.Mask(idNumber), hostName, room!.Room.Id, $"{room.Building.Name} {room.Room.Name}",
            room.Building.Id, purpose, now, visitor.ExpectedDeparture!.Value, visitor.RegisteredBy, await store.CountVisits(hash), visitor.PhotoId)
        {
            SiteId = catalog.SiteOf(room.Room.Id),
        };
        return new VisitorResult(VisitorOutcome.Done, await GrainFactory.GetGrain<IVisitorGrain>(id).Register(registered, hash));
    }

    /// <remarks>
    /// A day is each site's own: the sites searched are taken a time zone at a time, each with the day of its calendar,
    /// and the answers merged, latest arrival first.
    /// </remarks>
    public async Task<IReadOnlyList<Visitor>> Find(VisitorSearch search)
    {
        var query = new VisitorQuery(search.OnSite, null, null, search.Pass, search.Text,
            search.IdNumber is { } number ? await Hash(IdCard.Normalize(number)) : null, search.Limit)
        {
            Sites = search.Sites,
            FirstSite = catalog.First.Definition.Id,
        };
        if (search.Day is not { } day)
        {
            return await store.QueryVisitors(query);
        }

        List<SiteEntry[]> zones = [.. (search.Sites ?? [.. catalog.Sites.Keys]).Select(catalog.Site).OfType<SiteEntry>()
            .GroupBy(s => s.TimeZone.Id).Select(g => g.ToArray())];
        if (zones.Count <= 1)
        {
            // One calendar (or no site at all, when the query finds nothing anyway): as it always was.
            var site = zones.FirstOrDefault()?[0] ?? catalog.First;
            return await store.QueryVisitors(query with { From = site.StartOf(day), To = site.StartOf(day.AddDays(1)) });
        }

        var answers = await Task.WhenAll(zones.Select(zone => store.QueryVisitors(
            query with { From = zone[0].StartOf(day), To = zone[0].StartOf(day.AddDays(1)), Sites = [.. zone.Select(s => s.Id)] })));
        return [.. answers.SelectMany(a => a).OrderByDescending(v => v.ArrivedAt).ThenByDescending(v => v.Id, StringComparer.Ordinal).Take(search.Limit)];
    }

    public Task<IReadOnlyList<VisitorPlace>> Places() => Task.FromResult<IReadOnlyList<VisitorPlace>>(
        [.. catalog.Sites.Values.SelectMany(s => s.Definition.Buildings).SelectMany(b => b.Rooms.Select(r => new VisitorPlace(r.Id, b.Name, r.Name)))]);

    public async Task<VisitorResult> CheckOutByPass(string pass, string by)
    {
        var found = await store.QueryVisitors(new VisitorQuery(Pass: pass.Trim().ToUpperInvariant(), Limit: 1));
        return found.Count == 0
            ? new VisitorResult(VisitorOutcome.NotFound, null)
            : await GrainFactory.GetGrain<IVisitorGrain>(found[0].Id).CheckOut(by);
    }

    /// <summary>HMAC-SHA256 of the number under a key every node shares and no one sees: the same number gives the same hash, and the hash alone gives nothing away.</summary>
    private async Task<string> Hash(string normalized)
    {
        _idKey ??= Convert.FromBase64String(await secrets.GetOrAdd("visitor-id-key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        return Convert.ToHexString(HMACSHA256.HashData(_idKey, Encoding.UTF8.GetBytes(normalized)));
    }

    private static string NewPass() => RandomNumberGenerator.GetString(PassCharacters, PassLength);
}
