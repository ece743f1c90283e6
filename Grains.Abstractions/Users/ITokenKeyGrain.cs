namespace SafetyPatrol.Users;

/// <summary>
/// The key every node signs and checks tokens with (unless <c>SafetyPatrol:TokenKey</c> is set). Each
/// web host asks at start, offering a key of its own; the first offer is kept in the store for good.
/// </summary>
public interface ITokenKeyGrain : IGrainWithIntegerKey
{
    public const int MinimumLength = 32;

    Task<string> GetOrCreate(string candidate);
}
