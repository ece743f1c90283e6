using SafetyPatrol.Grains.Users;

namespace SafetyPatrol.Grains.Tests;

public sealed class PasswordHashTests
{
    [Fact]
    public void NewHashesUseOwaspsSixHundredThousandIterationsAndOlderOnesStillVerifyButAreMarkedOutdated()
    {
        var hash = PasswordHash.Create("correct horse");
        Assert.StartsWith("pbkdf2-sha256$600000$", hash);
        Assert.True(PasswordHash.Verify("correct horse", hash));
        Assert.False(PasswordHash.Verify("wrong horse", hash));
        Assert.False(PasswordHash.IsOutdated(hash));

        // Made by the earlier release at 100,000 iterations, for the password "demo1234".
        const string Old = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$cXYEhM7LB9E0DBGNXX3CAiKx+atKjGWvWWGqzFqzxVM=";
        Assert.True(PasswordHash.IsOutdated(Old));
        Assert.True(PasswordHash.Verify("demo1234", Old));
    }
}
