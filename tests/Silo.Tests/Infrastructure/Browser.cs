using Microsoft.Playwright;

namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>Debian's Chromium, headless, driven by Playwright; no browser is downloaded.</summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Instance { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium (.ci/run does).");
        _playwright = await Playwright.CreateAsync();
        // An expectation retries until it holds or this long has passed: with every test collection running at once on
        // 2 cores, an answer the page waits for has taken over Playwright's default 5 s (a visitor's registration, twice).
        Assertions.SetDefaultExpectTimeout(15_000);
        Instance = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Signs in on the page's form as a user would.</summary>
    public static async Task SignIn(IPage page, string username, string password)
    {
        await page.FillAsync("input[name=username]", username);
        await page.FillAsync("input[name=password]", password);
        await page.ClickAsync("#sign-in button[type=submit]");
    }

    /// <summary>A phone's page: 360 px wide, touch, in <paramref name="locale"/>'s language.</summary>
    public async Task<IPage> Phone(string locale = "en-US")
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            IsMobile = true,
            HasTouch = true,
        });
        return await context.NewPageAsync();
    }

    /// <summary>The console signed in as the fixture's operator, connected to the hub.</summary>
    public async Task<IPage> OperatorConsole(SystemFixture system)
    {
        var page = await Instance.NewPageAsync(new BrowserNewPageOptions { Locale = "en-US" });
        await page.GotoAsync(system.BaseUrl);
        await SignIn(page, "operator1", SystemFixture.OperatorPassword);
        await page.WaitForSelectorAsync("#connection[data-state=online]");
        return page;
    }

    public async Task DisposeAsync()
    {
        await Instance.DisposeAsync();
        _playwright?.Dispose();
    }
}
