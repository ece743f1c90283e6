using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Users;

namespace SafetyPatrol.Grains.Users;

/// <summary>The cluster's token signing key, kept in the store: the first web host to ask sets it.</summary>
public sealed class TokenKeyGrain(ISecretStore secrets) : Grain, ITokenKeyGrain
{
    public const string SecretName = "token-key";

    private string? _key;

    public async Task<string> GetOrCreate(string candidate)
    {
        if (candidate.Length < ITokenKeyGrain.MinimumLength)
        {
            throw new ArgumentException($"A token key has at least {ITokenKeyGrain.MinimumLength} characters.", nameof(candidate));
        }

        return _key ??= await secrets.GetOrAdd(SecretName, candidate);
    }
}
