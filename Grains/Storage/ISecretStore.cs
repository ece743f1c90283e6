namespace SafetyPatrol.Grains.Storage;

/// <summary>Secrets every node shares, such as the token signing key: set once, by whoever comes first.</summary>
public interface ISecretStore
{
    /// <summary>The secret of that name; when there is none yet, <paramref name="value"/> becomes it.</summary>
    Task<string> GetOrAdd(string name, string value);
}
