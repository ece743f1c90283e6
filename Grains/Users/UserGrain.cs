using SafetyPatrol.Push;
using SafetyPatrol.Users;

namespace SafetyPatrol.Grains.Users;

/// <summary>
/// A user account; only a salted PBKDF2 hash of the password is kept. Hashing runs off the grain's
/// thread. Failed sign-ins are counted per source: a device that signed in as this user before (its
/// device cookie), else the client address; guessing from one place locks out that place only, and
/// never the user's own known devices behind the same address.
/// </summary>
public sealed class UserGrain(
    [PersistentState("user")] IPersistentState<UserState> state,
    [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IUserGrain
{
    /// <summary>The version of its last console event (<see cref="PushVersion"/>).</summary>
    private long _pushed;

    public const int FailuresAllowed = 5;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(5);
    private const int AddressesKept = 1000;

    private readonly Dictionary<string, (int Count, DateTimeOffset Since)> _failures = [];

    public async Task<UserView?> Create(string password, string role, string? displayName, IReadOnlyList<string>? sites, IReadOnlyDictionary<string, string>? siteRoles)
    {
        if (state.RecordExists)
        {
            return null;
        }

        state.State.Sites = [.. sites ?? []];
        state.State.SiteRoles = new(siteRoles ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        state.State.CreatedAt = time.GetUtcNow();
        state.State.PasswordHash = await Hash(password);
        return await Save(role, displayName);
    }

    public async Task<UserView> Ensure(string password, string role, string? displayName)
    {
        if (!state.RecordExists)
        {
            state.State.CreatedAt = time.GetUtcNow();
        }

        state.State.PasswordHash = await Hash(password);
        state.State.Disabled = false;
        return await Save(role, displayName ?? state.State.DisplayName);
    }

    public async Task<SignInResult> SignIn(string password, string source)
    {
        var now = time.GetUtcNow();
        if (_failures.TryGetValue(source, out var failed) && now - failed.Since < FailureWindow && failed.Count >= FailuresAllowed)
        {
            return new SignInResult(null, failed.Since + FailureWindow - now);
        }

        var stored = state.RecordExists ? state.State.PasswordHash : PasswordHash.Nobody;
        var right = await Task.Run(() => PasswordHash.Verify(password, stored));
        if (!right || !state.RecordExists || state.State.Disabled)
        {
            Failed(source, now);
            return new SignInResult(null);
        }

        _failures.Remove(source);
        if (PasswordHash.IsOutdated(stored))
        {
            state.State.PasswordHash = await Hash(password);
            await state.WriteStateAsync();
        }

        return new SignInResult(View());
    }

    public Task<UserView?> Get() => Task.FromResult(state.RecordExists ? View() : null);

    public async Task<UserView?> Update(UserChange change)
    {
        if (!state.RecordExists)
        {
            return null;
        }

        // A user given other sites or roles is moved into their sites' event streams by signing in again.
        var endSessions = change.Disabled == true && !state.State.Disabled || change.Role is { } role && role != state.State.Role
            || change.Sites is { } sites && !sites.SequenceEqual(state.State.Sites)
            || change.SiteRoles is { } roles && (roles.Count != state.State.SiteRoles.Count || roles.Any(r => state.State.SiteRoles.GetValueOrDefault(r.Key) != r.Value));
        state.State.Disabled = change.Disabled ?? state.State.Disabled;
        state.State.Sites = change.Sites is { } given ? [.. given] : state.State.Sites;
        state.State.SiteRoles = change.SiteRoles is { } givenRoles ? new(givenRoles, StringComparer.Ordinal) : state.State.SiteRoles;
        var view = await Save(change.Role ?? state.State.Role, change.DisplayName ?? state.State.DisplayName);
        if (endSessions)
        {
            // Requests are checked against the user at once; live hub connections are ended on every web host.
            await GrainFactory.GetGrain<IConsolePushGrain>(0).Push(new ConsoleEvent(ConsoleEvent.SessionsEnded, view.Username, view.Username, PushVersion.Advance(ref _pushed, time)));
        }

        return view;
    }

    public async Task<bool> ChangePassword(string current, string replacement)
    {
        var stored = state.RecordExists ? state.State.PasswordHash : PasswordHash.Nobody;
        if (!state.RecordExists || state.State.Disabled || !await Task.Run(() => PasswordHash.Verify(current, stored)))
        {
            return false;
        }

        state.State.PasswordHash = await Hash(replacement);
        await state.WriteStateAsync();
        return true;
    }

    public async Task<UserView?> ResetPassword(string replacement)
    {
        if (!state.RecordExists)
        {
            return null;
        }

        state.State.PasswordHash = await Hash(replacement);
        state.State.SessionVersion++;
        var view = await Save(state.State.Role, state.State.DisplayName);
        await GrainFactory.GetGrain<IConsolePushGrain>(0).Push(new ConsoleEvent(ConsoleEvent.SessionsEnded, view.Username, view.Username, PushVersion.Advance(ref _pushed, time)));
        return view;
    }

    private static Task<string> Hash(string password) => Task.Run(() => PasswordHash.Create(password));

    private void Failed(string source, DateTimeOffset now)
    {
        if (_failures.Count >= AddressesKept)
        {
            _failures.Clear(); // a flood from many sources: start counting afresh rather than grow
        }

        _failures[source] = _failures.TryGetValue(source, out var f) && now - f.Since < FailureWindow ? (f.Count + 1, f.Since) : (1, now);
    }

    private async Task<UserView> Save(string role, string? displayName)
    {
        state.State.Role = role;
        state.State.DisplayName = displayName;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IUserDirectoryGrain>(0).Add(this.GetPrimaryKeyString());
        return View();
    }

    private UserView View() => new(this.GetPrimaryKeyString(), state.State.Role, state.State.DisplayName, state.State.CreatedAt, state.State.Disabled)
    {
        Sites = state.State.Sites.Count == 0 ? null : [.. state.State.Sites],
        SiteRoles = state.State.SiteRoles.Count == 0 ? null : new Dictionary<string, string>(state.State.SiteRoles, StringComparer.Ordinal),
        SessionVersion = state.State.SessionVersion,
    };
}

[GenerateSerializer]
public sealed class UserState
{
    [Id(0)] public string PasswordHash { get; set; } = "";
    [Id(1)] public string Role { get; set; } = "";
    [Id(2)] public string? DisplayName { get; set; }
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public bool Disabled { get; set; }
    [Id(5)] public int SessionVersion { get; set; }

    /// <summary>The sites the user works at; empty for every site.</summary>
    [Id(6)] public List<string> Sites { get; set; } = [];

    /// <summary>The user's role at some sites, where it is not <see cref="Role"/>.</summary>
    [Id(7)] public Dictionary<string, string> SiteRoles { get; set; } = new(StringComparer.Ordinal);
}
