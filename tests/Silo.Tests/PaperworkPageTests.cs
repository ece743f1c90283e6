using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SafetyPatrol.Grains.History;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>The paperwork pages in Chromium: the phone page's gauge, photo and repairs, the console's repair button, photo and chart, tickets, accounts, labels and reports.</summary>
[Collection(SystemCollection.Name)]
public sealed class PaperworkPageTests(SystemFixture system) : IAsyncLifetime
{
    /// <summary>A real (decodable) 8×6 PNG, as a phone's camera would give a real picture.</summary>
    private static readonly byte[] Picture = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAgAAAAGCAIAAABxZ0isAAAAEUlEQVR4nGM4ISeHFTEMpAQAaYgwwWSFouIAAAAASUVORK5CYII=");

    private readonly Browser _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task AnOfficerOnAPhoneReadsAGaugeAttachesAPhotoReportsARepairAndSignsItOffWhenFixed()
    {
        using (var sensor = await MqttDevices.Connect(system, "o2-gauge", "o2"))
        {
            await sensor.Publish("devices/o2-gauge/telemetry", """{"o2Pressure": 400}""");
        }

        var page = await _browser.Phone();
        await page.GotoAsync($"{system.BaseUrl}/checkin?cp=cp-o2-phone&code=O2-5151");
        await Browser.SignIn(page, "officer1", SystemFixture.OfficerPassword);
        var gauge = page.Locator(".item", new PageLocatorOptions { HasText = "Gauge (kPa)" });
        var grease = page.Locator(".item", new PageLocatorOptions { HasText = "No grease" });
        await Assertions.Expect(gauge.Locator(".item-value")).ToBeVisibleAsync();
        await Assertions.Expect(grease.Locator(".item-value")).ToBeHiddenAsync();
        await Assertions.Expect(grease.Locator(".item-photo")).ToBeHiddenAsync();
        await gauge.Locator(".item-value").FillAsync("463");
        await grease.Locator("input[value=fail]").CheckAsync();
        await grease.Locator(".item-note").FillAsync("oil on the valve");
        await grease.Locator(".item-photo-input").SetInputFilesAsync(new FilePayload { Name = "valve.png", MimeType = "image/png", Buffer = Picture });
        await Assertions.Expect(grease.Locator(".photo-status")).ToHaveTextAsync("Photo attached ✓");
        await page.ClickAsync("#submit");
        await Assertions.Expect(page.Locator("#check-in-done")).ToContainTextAsync("O2 manifold B");

        using var op = await system.Operator();
        var checkIn = (await op.GetFromJsonAsync<JsonElement[]>("/api/checkins?checkpointId=cp-o2-phone&officer=officer1&limit=1"))![0];
        var findings = checkIn.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(463, findings[0].GetProperty("value").GetDouble());
        var photoId = findings[1].GetProperty("photoId").GetString();
        var photo = await op.GetAsync($"/api/photos/{photoId}");
        Assert.Equal("image/jpeg", photo.Content.Headers.ContentType?.MediaType); // shrunk to JPEG on the phone
        Assert.Contains((await op.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=open&limit=1000"))!,
            a => a.GetProperty("type").GetString() == "inspection.mismatch" && a.GetProperty("checkpointId").GetString() == "cp-o2-phone");

        // A repair reported from the phone, fixed by a technician, signed off by the officer who reported it.
        await page.FillAsync("#repair input[name=title]", "氧气阀漏油 Oil on the O2 valve");
        await page.ClickAsync("#repair button[type=submit]");
        await Assertions.Expect(page.Locator("#repair-done")).ToContainTextAsync("Oil on the O2 valve");
        var repair = page.Locator("#my-repairs li.repair", new PageLocatorOptions { HasText = "Oil on the O2 valve" });
        await Assertions.Expect(repair).ToHaveAttributeAsync("data-status", "open");
        var id = await repair.GetAttributeAsync("data-id");
        Assert.Equal("annex-2", (await op.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}")).GetProperty("roomId").GetString());
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        await Accounts.Ensure(admin, "tech.phone", "technician");
        using var tech = await system.SignIn("tech.phone", Accounts.Password);
        await op.PatchAsJsonAsync($"/api/tickets/{id}", new { assignee = "tech.phone" });
        await tech.PatchAsJsonAsync($"/api/tickets/{id}", new { status = "in-progress" });
        await tech.PatchAsJsonAsync($"/api/tickets/{id}", new { status = "done", note = "valve cleaned" });

        await page.ReloadAsync();
        await Assertions.Expect(repair).ToHaveAttributeAsync("data-status", "done");
        await repair.Locator(".repair-note").FillAsync("checked: dry");
        await repair.Locator(".accept").ClickAsync();
        await Assertions.Expect(repair).ToHaveCountAsync(0);
        var ticket = await op.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        Assert.Equal(("signed-off", "officer1"), (ticket.GetProperty("status").GetString(), ticket.GetProperty("signedOffBy").GetString()));
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 360"), "The page must fit a 360 px screen.");
    }

    [Fact]
    public async Task TheConsoleShowsAFindingsPhotoOpensARepairFromTheAlertAndChartsADevicesLastDay()
    {
        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);
        var upload = new ByteArrayContent(Picture);
        upload.Headers.ContentType = new("image/png");
        var photoId = (await (await officer.PostAsync("/api/photos", upload)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var page = await _browser.OperatorConsole(system);
        await officer.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-ui", code = "UI-7788", findings = new[] { new { item = "Mats intact", ok = false, note = "mat torn", photoId } } });

        var row = page.Locator("#alert-list li.alert", new PageLocatorOptions { HasText = "Mats intact" });
        await Assertions.Expect(row.Locator(".finding-photo")).ToBeVisibleAsync();
        Assert.Equal(8, await row.Locator(".finding-photo").EvaluateAsync<int>("img => img.naturalWidth"));
        await row.Locator(".open-ticket").ClickAsync();
        await Assertions.Expect(row.Locator(".ticket-link")).ToBeVisibleAsync();
        using var op = await system.Operator();
        var alertId = await row.GetAttributeAsync("data-id");
        var ticket = Assert.Single((await op.GetFromJsonAsync<JsonElement[]>("/api/tickets?limit=5000"))!, t => t.GetProperty("alertId").GetString() == alertId);
        Assert.Equal("teach-1-102", ticket.GetProperty("roomId").GetString());

        // A device's last day, charted.
        using (var meter = await MqttDevices.Connect(system, "history-1", "h"))
        {
            foreach (var volts in new[] { 221, 219, 224 })
            {
                await meter.Publish("devices/history-1/telemetry", $$"""{"voltage": {{volts}}}""");
            }
        }

        await system.Services.GetRequiredService<HistoryRecorder>().Flush();
        await page.CheckAsync("#show-devices");
        await page.Locator("li[data-building=annex] > details > summary").ClickAsync();
        await page.Locator(".device-list span[data-device=history-1]").ClickAsync();
        var chart = page.Locator(".device-chart[data-chart=history-1]");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", "1");
        await Assertions.Expect(chart.Locator("canvas")).ToBeVisibleAsync();
        await Assertions.Expect(chart.Locator(".chart-metric")).ToHaveValueAsync("voltage");

        // Its axis reads the site's clock, 24-hour (Asia/Shanghai: 21:40 UTC is 05:40), and the date where a day begins.
        Assert.Equal("05:40", await page.EvaluateAsync<string>("async () => (await import('/device-chart.js')).timeLabel(Date.parse('2026-12-03T21:40:00Z') / 1000)"));
        Assert.Equal("12/4", await page.EvaluateAsync<string>("async () => (await import('/device-chart.js')).timeLabel(Date.parse('2026-12-03T16:00:00Z') / 1000)"));
    }

    [Fact]
    public async Task TheConsoleOpensATicketWithThePickersATechnicianWorksItAndTheConsoleSignsItOff()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        await Accounts.Ensure(admin, "tech.page", "technician");
        using var op = await system.Operator();

        // The form offers the site's rooms by building and the technicians' accounts, not boxes for raw ids.
        var opPage = await _browser.Instance.NewPageAsync(new BrowserNewPageOptions { Locale = "zh-CN" });
        await opPage.GotoAsync($"{system.BaseUrl}/tickets.html");
        await Browser.SignIn(opPage, "operator1", SystemFixture.OperatorPassword);
        await Assertions.Expect(opPage.Locator("#new-ticket-room optgroup[label='实验楼'] option[value='lab-1']")).ToHaveTextAsync("化学实验室");
        await Assertions.Expect(opPage.Locator("#new-ticket-assignee option[value='tech.page']")).ToHaveCountAsync(1);
        await Assertions.Expect(opPage.Locator("#new-ticket-assignee option[value='operator1']")).ToHaveCountAsync(0);
        await opPage.FillAsync("#new-ticket input[name=title]", "Broken window latch");
        await opPage.SelectOptionAsync("#new-ticket-room", "lab-1");
        await opPage.SelectOptionAsync("#new-ticket-assignee", "tech.page");
        await opPage.ClickAsync("#new-ticket button[type=submit]");
        var opened = opPage.Locator("li.ticket", new PageLocatorOptions { HasText = "Broken window latch" });
        await Assertions.Expect(opened.Locator(".ticket-meta")).ToContainTextAsync("实验楼 · 化学实验室");
        await Assertions.Expect(opened.Locator(".ticket-assignee")).ToHaveValueAsync("tech.page");
        var id = await opened.GetAttributeAsync("data-id");
        var created = await op.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        Assert.Equal(("lab-1", "tech.page"), (created.GetProperty("roomId").GetString(), created.GetProperty("assignee").GetString()));

        var techPage = await _browser.Instance.NewPageAsync(new BrowserNewPageOptions { Locale = "en-US" });
        await techPage.GotoAsync($"{system.BaseUrl}/tickets.html");
        await Browser.SignIn(techPage, "tech.page", Accounts.Password);
        var row = techPage.Locator($"li.ticket[data-id='{id}']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "assigned");
        await Assertions.Expect(techPage.Locator("#new-ticket")).ToBeHiddenAsync();
        await Assertions.Expect(row.Locator(".assign")).ToBeHiddenAsync();
        await row.Locator(".start").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "in-progress");
        await row.Locator(".ticket-note").FillAsync("new latch fitted");
        await row.Locator(".done").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "done");
        await Assertions.Expect(row.Locator(".accept")).ToBeHiddenAsync(); // the technician does not sign off their own work

        var opRow = opPage.Locator($"li.ticket[data-id='{id}']");
        await Assertions.Expect(opRow.Locator(".ticket-status")).ToHaveTextAsync("已完成，待验收");
        await opRow.Locator(".ticket-note").FillAsync("latch checked");
        await opRow.Locator(".accept").ClickAsync();
        await Assertions.Expect(opRow).ToHaveCountAsync(0); // the list shows what is not signed off
        Assert.Equal("signed-off", (await op.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}")).GetProperty("status").GetString());
        // The technician's page heard of it too.
        await Assertions.Expect(row).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TheAdminPageChangesAnAccountShowsTheAuditLogAndPrintsASheetOfCheckpointLabels()
    {
        var page = await _browser.Instance.NewPageAsync(new BrowserNewPageOptions { Locale = "en-US" });
        // The print dialog is counted instead of opened (headless Chromium would stay "printing").
        await page.AddInitScriptAsync("window.print = () => { window.printed = (window.printed || 0) + 1; };");
        await page.GotoAsync($"{system.BaseUrl}/admin.html");
        await Browser.SignIn(page, "admin", SystemFixture.AdminPassword);

        var row = page.Locator("#users tr[data-username=officer1]");
        await row.Locator(".display-name").FillAsync("王巡查");
        await row.Locator(".save").ClickAsync();
        await Assertions.Expect(row.Locator(".row-status")).ToHaveTextAsync("Saved.");
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        Assert.Contains((await admin.GetFromJsonAsync<JsonElement[]>("/api/users"))!, u => u.GetProperty("displayName").GetString() == "王巡查");
        await Assertions.Expect(page.Locator("#audit tbody tr", new PageLocatorOptions { HasText = "PATCH /api/users/{username}" }).First).ToBeVisibleAsync();
        // What was sent is shown as text, not JSON.
        await Assertions.Expect(page.Locator("#audit tbody tr", new PageLocatorOptions { HasText = "PATCH /api/users/{username}" }).First.Locator("td").Last)
            .ToContainTextAsync("Name: 王巡查");

        // A page at a time: 101 entries of one user show as 100 and "Older entries" brings the last; a time range filters.
        await Accounts.Ensure(admin, "audit.many", "operator");
        using (var many = await system.SignIn("audit.many", Accounts.Password))
        {
            await Task.WhenAll(Enumerable.Range(0, 101).Select(i => many.PostAsJsonAsync($"/api/alerts/no-such-{i}/acknowledge", new { note = "x" })));
        }

        await page.FillAsync("#audit-filter input[name=user]", "audit.many");
        await page.FillAsync("#audit-filter input[name=action]", "acknowledge");
        await page.ClickAsync("#audit-filter button[type=submit]");
        await Assertions.Expect(page.Locator("#audit tbody tr")).ToHaveCountAsync(100);
        await page.ClickAsync("#audit-older");
        await Assertions.Expect(page.Locator("#audit tbody tr")).ToHaveCountAsync(101);
        await Assertions.Expect(page.Locator("#audit-older")).ToBeHiddenAsync();
        await page.FillAsync("#audit-filter input[name=from]", "2099-01-01T00:00");
        await page.ClickAsync("#audit-filter button[type=submit]");
        await Assertions.Expect(page.Locator("#audit tbody tr")).ToHaveCountAsync(0);
        await page.FillAsync("#audit-filter input[name=from]", "");
        await page.FillAsync("#audit-filter input[name=user]", "");
        await page.FillAsync("#audit-filter input[name=action]", "");

        await page.SelectOptionAsync("#labels-building", "teach-1");
        await page.ClickAsync("#labels button[type=submit]");
        await Assertions.Expect(page.Locator("#labels-status")).ToHaveTextAsync("5 labels");
        Assert.Equal(1, await page.EvaluateAsync<int>("window.printed"));
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await Assertions.Expect(page.Locator("#print-area .label")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("#print-area .label").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#print-area .label svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("header")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#users")).ToBeHiddenAsync();
        var pdf = await page.PdfAsync(new PagePdfOptions { Format = "A4" });
        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
    }

    [Fact]
    public async Task AnOfficerChangesTheirOwnPasswordOnThePasswordPageAfterTypingTheCurrentOne()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        await Accounts.Ensure(admin, "guard.page", "officer");
        var page = await _browser.Phone();
        await page.GotoAsync($"{system.BaseUrl}/password.html");
        await Browser.SignIn(page, "guard.page", Accounts.Password);

        await page.FillAsync("#change-password input[name=currentPassword]", "not-my-password");
        await page.FillAsync("#change-password input[name=newPassword]", "new-own-pass-1");
        await page.ClickAsync("#change-password button[type=submit]");
        await Assertions.Expect(page.Locator("#password-error")).ToHaveTextAsync("The current password is not right.");

        await page.FillAsync("#change-password input[name=currentPassword]", Accounts.Password);
        await page.FillAsync("#change-password input[name=newPassword]", "new-own-pass-1");
        await page.ClickAsync("#change-password button[type=submit]");
        await Assertions.Expect(page.Locator("#password-done")).ToHaveTextAsync("Password changed.");
        Assert.Equal(System.Net.HttpStatusCode.OK,
            (await system.Anonymous.PostAsJsonAsync("/api/auth/token", new { username = "guard.page", password = "new-own-pass-1" })).StatusCode);
    }

    [Fact]
    public async Task TheAdminPageInChineseSaysWhyAnAccountIsRefusedInChinese()
    {
        var page = await _browser.Instance.NewPageAsync(new BrowserNewPageOptions { Locale = "zh-CN" });
        await page.GotoAsync($"{system.BaseUrl}/admin.html");
        await Browser.SignIn(page, "admin", SystemFixture.AdminPassword);
        var form = page.Locator("#new-user");
        await Assertions.Expect(form).ToBeVisibleAsync();

        // A field's problem (errorKeys), then a problem of the whole request (detailKey).
        await form.Locator("input[name=username]").FillAsync("王 五");
        await form.Locator("input[name=password]").FillAsync("long-enough-1");
        await form.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#users-error")).ToHaveTextAsync("王 五：1 到 64 个字符：字母、数字、“.”、“_”或“-”。");

        await form.Locator("input[name=username]").FillAsync("officer1");
        await form.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#users-error")).ToHaveTextAsync("officer1：用户“officer1”已存在。");

        // The audit log names what was sent in Chinese too, the password starred.
        await page.ClickAsync("#audit-filter button[type=submit]");
        await Assertions.Expect(page.Locator("#audit tbody tr", new PageLocatorOptions { HasText = "用户名: 王 五" }).First.Locator("td").Last)
            .ToContainTextAsync("密码: ***");
    }

    [Fact]
    public async Task TheReportsPageShowsTheDayAndSavesItAsAnExcelFile()
    {
        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);
        await officer.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-annex", code = "AX-2" });
        var today = TimeZoneInfo.ConvertTime(system.Time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("yyyy-MM-dd");
        var page = await _browser.Instance.NewPageAsync(new BrowserNewPageOptions { Locale = "en-US", AcceptDownloads = true });
        await page.GotoAsync($"{system.BaseUrl}/reports.html?kind=daily");
        await Browser.SignIn(page, "operator1", SystemFixture.OperatorPassword);
        await Assertions.Expect(page.Locator("#report h2")).ToBeVisibleAsync();

        await page.FillAsync("#report-date", today);
        await page.ClickAsync("#report-form button[type=submit]");
        await Assertions.Expect(page.Locator("#report h2")).ToContainTextAsync(today);
        var annex = page.Locator("#report tr", new PageLocatorOptions { HasText = "锅炉 Boiler" });
        await Assertions.Expect(annex.Locator("td").Nth(2)).Not.ToHaveTextAsync("0");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-xlsx"));
        Assert.Equal($"daily-{today}.xlsx", download.SuggestedFilename);
        var file = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal("PK"u8.ToArray(), file[..2]);

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await Assertions.Expect(page.Locator("#report-form")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#report table").First).ToBeVisibleAsync();
    }
}
