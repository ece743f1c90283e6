using SafetyPatrol.Users;

namespace SafetyPatrol.Grains.Users;

/// <summary>The usernames of every account; each user grain adds itself when it is saved.</summary>
public sealed class UserDirectoryGrain([PersistentState("users")] IPersistentState<UserDirectoryState> state) : Grain, IUserDirectoryGrain
{
    public async Task Add(string username)
    {
        if (state.State.Usernames.Add(username))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Usernames.Order(StringComparer.Ordinal)]);
}

[GenerateSerializer]
public sealed class UserDirectoryState
{
    [Id(0)] public HashSet<string> Usernames { get; set; } = [];
}
