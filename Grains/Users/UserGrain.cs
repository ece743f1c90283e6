using SafetyPatrol.Users;

namespace SafetyPatrol.Grains.Users;

/// <summary>A user account; only a salted PBKDF2 hash of the password is kept.</summary>
public sealed class UserGrain(
    [PersistentState("user")] IPersistentState<UserState> state,
    [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IUserGrain
{
    public async Task<UserView?> Create(string password, string role, string? displayName)
    {
        if (state.RecordExists)
        {
            return null;
        }

        return await Save(password, role, displayName);
    }

    public Task<UserView> Ensure(string password, string role, string? displayName) =>
        Save(password, role, displayName ?? state.State.DisplayName);

    public Task<UserView?> Verify(string password) =>
        Task.FromResult(state.RecordExists && PasswordHash.Verify(password, state.State.PasswordHash) ? View() : null);

    public Task<UserView?> Get() => Task.FromResult(state.RecordExists ? View() : null);

    private async Task<UserView> Save(string password, string role, string? displayName)
    {
        state.State.PasswordHash = PasswordHash.Create(password);
        state.State.Role = role;
        state.State.DisplayName = displayName;
        if (!state.RecordExists)
        {
            state.State.CreatedAt = time.GetUtcNow();
        }

        await state.WriteStateAsync();
        return View();
    }

    private UserView View() => new(this.GetPrimaryKeyString(), state.State.Role, state.State.DisplayName, state.State.CreatedAt);
}

[GenerateSerializer]
public sealed class UserState
{
    [Id(0)] public string PasswordHash { get; set; } = "";
    [Id(1)] public string Role { get; set; } = "";
    [Id(2)] public string? DisplayName { get; set; }
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
}
