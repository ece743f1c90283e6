namespace SafetyPatrol.Grains.Site;

/// <summary>Where this silo reads its site file (<c>SafetyPatrol:SiteFile</c>); none for a test cluster given its site directly.</summary>
public sealed record SiteSource(string? Path);
