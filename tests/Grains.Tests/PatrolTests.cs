using SafetyPatrol.Grains;
using SafetyPatrol.Alerts;
using SafetyPatrol.Patrols;

namespace SafetyPatrol.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class PatrolTests(ClusterFixture fixture)
{
    private static CheckInRequest Visit(string code, string officer = "li.wei", params Finding[] findings) => new(officer, code, findings);

    [Fact]
    public async Task ARotatingCodeOnADisplayChecksInWhileItIsShownAndTheOneBeforeButNotTheLabelsCodeOrAnOldOne()
    {
        var checkpoint = fixture.Grains.GetGrain<ICheckpointGrain>("cp-display");
        var totp = new OtpNet.Totp(System.Text.Encoding.UTF8.GetBytes("display-key-0123456789"), step: 30);
        string At(TimeSpan ago) => totp.ComputeTotp((fixture.Time.GetUtcNow() - ago).UtcDateTime);

        // The code of the site file is the key, not a code; one from two periods ago (a photo taken a minute back) is refused.
        Assert.Equal(CheckInOutcome.WrongCode, (await checkpoint.CheckIn(Visit("display-key-0123456789", "rot.a"))).Outcome);
        Assert.Equal(CheckInOutcome.WrongCode, (await checkpoint.CheckIn(Visit(At(TimeSpan.FromSeconds(61)), "rot.a"))).Outcome);
        Assert.Equal(CheckInOutcome.Recorded, (await checkpoint.CheckIn(Visit(At(TimeSpan.Zero), "rot.a"))).Outcome);
        // Read just as it changed: the code before still counts.
        Assert.Equal(CheckInOutcome.Recorded, (await checkpoint.CheckIn(Visit(At(TimeSpan.FromSeconds(30)), "rot.b"))).Outcome);

        // Its label carries no code; the key sets up the display.
        var label = (await fixture.Grains.GetGrain<ISiteGrain>(0).Labels(null)).Single(l => l.Id == "cp-display");
        Assert.Equal(("", true), (label.Code, label.CodeOnDisplay));
        Assert.StartsWith("otpauth://totp/SafetyPatrol:cp-display?secret=", await fixture.Grains.GetGrain<ISiteGrain>(0).CodeKey("cp-display"));
        Assert.Null(await fixture.Grains.GetGrain<ISiteGrain>(0).CodeKey("cp-dup"));
    }

    [Fact]
    public async Task ADailyCodeIsPrintedOnTheLabelWorksThatDayOnTheSitesClockAndNotTheNext()
    {
        var checkpoint = fixture.Grains.GetGrain<ICheckpointGrain>("cp-daycode");
        await fixture.AdvanceToLocal(23, 0);
        var label = (await fixture.Grains.GetGrain<ISiteGrain>(0).Labels(null)).Single(l => l.Id == "cp-daycode");
        Assert.Equal(6, label.Code.Length);
        Assert.False(label.CodeOnDisplay);

        // Valid until the site's midnight (Asia/Shanghai), an hour from now.
        Assert.Equal(fixture.Time.GetUtcNow().AddHours(1), label.CodeValidUntil);
        Assert.Equal(CheckInOutcome.Recorded, (await checkpoint.CheckIn(Visit(label.Code, "day.a"))).Outcome);
        await fixture.Advance(TimeSpan.FromHours(1));
        Assert.Equal(CheckInOutcome.WrongCode, (await checkpoint.CheckIn(Visit(label.Code, "day.b"))).Outcome);
        var next = (await fixture.Grains.GetGrain<ISiteGrain>(0).Labels(null)).Single(l => l.Id == "cp-daycode");
        Assert.NotEqual(label.Code, next.Code);
        Assert.Equal(CheckInOutcome.Recorded, (await checkpoint.CheckIn(Visit(next.Code, "day.b"))).Outcome);
    }

    [Fact]
    public async Task ACheckpointNeverVisitedIsOverdueAtDuePlusGraceEscalatesAfterAnotherIntervalAndClearsOnCheckIn()
    {
        var checkpoint = fixture.Grains.GetGrain<ICheckpointGrain>("cp-due");
        await checkpoint.Start();
        var started = fixture.Time.GetUtcNow();

        await fixture.Advance(TimeSpan.FromMinutes(12) - TimeSpan.FromSeconds(1));
        Assert.Empty(await fixture.Alerts(a => a.CheckpointId == "cp-due"));

        await fixture.Advance(TimeSpan.FromSeconds(1));
        var overdue = Assert.Single(await fixture.Alerts(a => a.CheckpointId == "cp-due"));
        Assert.Equal(("inspection.overdue", "inspection", "warning", 0), (overdue.Type, overdue.Category, overdue.Severity, overdue.EscalationLevel));
        Assert.Equal(started + TimeSpan.FromMinutes(12), overdue.RaisedAt);
        Assert.Equal(started + TimeSpan.FromMinutes(10), overdue.DueAt);
        Assert.Contains(await fixture.Grains.GetGrain<IPatrolBoardGrain>(0).GetOverdue(), c => c.Id == "cp-due");

        await fixture.Advance(TimeSpan.FromMinutes(10));
        var escalated = Assert.Single(await fixture.Alerts(a => a.CheckpointId == "cp-due"));
        Assert.Equal(("minor", 1), (escalated.Severity, escalated.EscalationLevel));

        var result = await checkpoint.CheckIn(Visit("due-1"));
        Assert.Equal(CheckInOutcome.Recorded, result.Outcome);
        Assert.False(Assert.Single(await fixture.Alerts(a => a.CheckpointId == "cp-due")).Active);
        Assert.DoesNotContain(await fixture.Grains.GetGrain<IPatrolBoardGrain>(0).GetOverdue(), c => c.Id == "cp-due");
        var status = await checkpoint.GetStatus();
        Assert.Equal(fixture.Time.GetUtcNow() + TimeSpan.FromMinutes(10), status!.DueAt);
    }

    [Fact]
    public async Task OutsideActiveHoursNothingIsDueAndAWindowAcrossMidnightCountsFromItsOpening()
    {
        await fixture.AdvanceToLocal(12, 0);
        var checkpoint = fixture.Grains.GetGrain<ICheckpointGrain>("cp-night");
        await checkpoint.Start();
        Assert.False((await checkpoint.GetStatus())!.InActiveHours);

        await fixture.AdvanceToLocal(22, 59);
        Assert.Empty(await fixture.Alerts(a => a.CheckpointId == "cp-night"));

        await fixture.AdvanceToLocal(23, 0);
        Assert.True(Assert.Single(await fixture.Alerts(a => a.CheckpointId == "cp-night")).Active);

        await fixture.AdvanceToLocal(6, 0);
        var alert = Assert.Single(await fixture.Alerts(a => a.CheckpointId == "cp-night"));
        Assert.False(alert.Active);
        Assert.Null((await checkpoint.GetStatus())!.DueAt);
    }

    [Fact]
    public async Task TheSameOfficerTwiceWithinAMinuteIsRecordedOnceAndAWrongCodeOrUnknownCheckpointIsRefused()
    {
        var checkpoint = fixture.Grains.GetGrain<ICheckpointGrain>("cp-dup");

        Assert.Equal(CheckInOutcome.WrongCode, (await checkpoint.CheckIn(Visit("NOPE"))).Outcome);
        var first = await checkpoint.CheckIn(Visit("DUP-1"));
        await fixture.Advance(TimeSpan.FromSeconds(59));
        var second = await checkpoint.CheckIn(Visit("DUP-1"));
        var otherOfficer = await checkpoint.CheckIn(Visit("DUP-1", officer: "wang.fang"));
        Assert.Equal(CheckInOutcome.UnknownCheckpoint, (await fixture.Grains.GetGrain<ICheckpointGrain>("cp-none").CheckIn(Visit("X"))).Outcome);

        Assert.Equal((CheckInOutcome.Recorded, CheckInOutcome.Duplicate, CheckInOutcome.Recorded), (first.Outcome, second.Outcome, otherOfficer.Outcome));
        Assert.Equal(first.CheckIn!.Id, second.CheckIn!.Id);
        var ledger = await fixture.Grains.GetGrain<ILedgerGrain>(0).CheckIns(new CheckInQuery("cp-dup", null, null, null));
        Assert.Equal(["wang.fang", "li.wei"], ledger.Select(c => c.Officer));
    }

    [Fact]
    public async Task AFailedChecklistItemRaisesAFindingWithTheItemAndTheNote()
    {
        var checkpoint = fixture.Grains.GetGrain<ICheckpointGrain>("cp-find");

        await checkpoint.CheckIn(Visit("FIND-1", "zhao.lei", new Finding("Bolts tight", false, "two bolts loose on the top bar"), new Finding("Mats intact", true)));

        var finding = Assert.Single(await fixture.Alerts(a => a.CheckpointId == "cp-find"));
        Assert.Equal(("inspection.finding", "finding", "minor"), (finding.Type, finding.Category, finding.Severity));
        Assert.Equal(("Bolts tight", "two bolts loose on the top bar", "zhao.lei"), (finding.Item, finding.Note, finding.Officer));
        Assert.Equal(("b1", "r-pat"), (finding.BuildingId, finding.RoomId));
    }

    [Fact]
    public async Task ARoundVisitedOutOfOrderIsCompletedWithTheOrderNoted()
    {
        await fixture.AdvanceToNextRoundStart();
        foreach (var (cp, code) in new[] { ("cp-r1", "R1"), ("cp-r3", "R3"), ("cp-r2", "R2") })
        {
            await fixture.Grains.GetGrain<ICheckpointGrain>(cp).CheckIn(Visit(code));
            await fixture.Advance(TimeSpan.FromMinutes(5));
        }

        var round = await fixture.Grains.GetGrain<IRouteGrain>("route-order").GetCurrentRound();
        Assert.Equal(Round.Completed, round!.Status);
        Assert.Equal([("cp-r1", true), ("cp-r3", false), ("cp-r2", true)], round.Visits.Select(v => (v.CheckpointId, v.InOrder)));
        Assert.Equal("li.wei", round.StartedBy);
        Assert.Empty(round.Missing);
        var ledger = await fixture.Grains.GetGrain<ILedgerGrain>(0).Rounds(new RoundQuery("route-order", null, null));
        Assert.Equal(Round.Completed, ledger[0].Status);
    }

    [Fact]
    public async Task ARoundNotCompletedInTimeRaisesAPatrolAlertNamingTheRouteAndTheCheckpointsMissed()
    {
        await fixture.AdvanceToNextRoundStart();
        await fixture.Grains.GetGrain<ICheckpointGrain>("cp-m1").CheckIn(Visit("M1", "chen.jie"));
        await fixture.Advance(TimeSpan.FromMinutes(40) - TimeSpan.FromSeconds(1));
        Assert.Empty(await fixture.Alerts(a => a.RouteId == "route-miss" && a.Type == "patrol.roundMissed"));

        await fixture.Advance(TimeSpan.FromSeconds(1));

        var alert = Assert.Single(await fixture.Alerts(a => a.RouteId == "route-miss" && a.Type == "patrol.roundMissed"));
        Assert.Equal(("patrol.roundMissed", "patrol", "major", "chen.jie"), (alert.Type, alert.Category, alert.Severity, alert.Officer));
        Assert.Contains("Miss round", alert.Message);
        Assert.Contains("Missed B gate", alert.Message);
        Assert.DoesNotContain("Missed A", alert.Message);
        var round = await fixture.Grains.GetGrain<IRouteGrain>("route-miss").GetCurrentRound();
        Assert.Equal((Round.Missed, "cp-m2"), (round!.Status, Assert.Single(round.Missing)));
    }

    [Fact]
    public async Task AnOfficerSilentForThirtyMinutesDuringTheirRoundRaisesOfficerSilentUntilTheyCheckInAgain()
    {
        await fixture.AdvanceToNextRoundStart();
        await fixture.Grains.GetGrain<ICheckpointGrain>("cp-s1").CheckIn(Visit("S1", "sun.li"));
        await fixture.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(1));
        Assert.Empty(await fixture.Alerts(a => a.Type == "patrol.officerSilent" && a.Officer == "sun.li"));

        await fixture.Advance(TimeSpan.FromSeconds(1));
        var silent = Assert.Single(await fixture.Alerts(a => a.Type == "patrol.officerSilent" && a.Officer == "sun.li"));
        Assert.Equal(("patrol", "route-silent", true), (silent.Category, silent.RouteId, silent.Active));

        await fixture.Grains.GetGrain<ICheckpointGrain>("cp-s2").CheckIn(Visit("S2", "sun.li"));
        Assert.False(Assert.Single(await fixture.Alerts(a => a.Type == "patrol.officerSilent" && a.Officer == "sun.li")).Active);
    }

    [Fact]
    public async Task AnOfficerWhoStartsARoundHoursAfterTheirLastCheckInIsNotCalledSilent()
    {
        await fixture.Grains.GetGrain<ICheckpointGrain>("cp-q0").CheckIn(Visit("Q0", "zhou.min"));
        await fixture.Advance(TimeSpan.FromHours(3));
        await fixture.AdvanceToNextRoundStart();

        await fixture.Grains.GetGrain<ICheckpointGrain>("cp-q1").CheckIn(Visit("Q1", "zhou.min"));

        Assert.Empty(await fixture.Alerts(a => a.Type == "patrol.officerSilent" && a.Officer == "zhou.min"));
        Assert.Equal("zhou.min", (await fixture.Grains.GetGrain<IRouteGrain>("route-quiet").GetCurrentRound())!.StartedBy);
    }

    [Fact]
    public async Task ARoundWhoseDeadlinePassedBeforeTheSystemWatchedItIsRecordedAsNotWatchedAndRaisesNothing()
    {
        // The route has not been active since its round began: as after a restart past the round's deadline.
        await fixture.AdvanceToNextRoundStart();
        await fixture.Advance(TimeSpan.FromMinutes(50));

        var round = await fixture.Grains.GetGrain<IRouteGrain>("route-late").GetCurrentRound();

        Assert.Equal(Round.NotWatched, round!.Status);
        Assert.Empty(await fixture.Alerts(a => a.RouteId == "route-late"));
        var ledger = await fixture.Grains.GetGrain<ILedgerGrain>(0).Rounds(new RoundQuery("route-late", null, null));
        Assert.Equal(Round.NotWatched, Assert.Single(ledger).Status);
    }

    [Fact]
    public async Task ARoundSeenOpenIsMissedEvenIfItsRouteIsActivatedAgainOnlyAfterItsDeadline()
    {
        // Watched from its start; then the route is taken away and nothing wakes it before the deadline.
        await fixture.AdvanceToNextRoundStart();
        var route = fixture.Grains.GetGrain<IRouteGrain>("route-away");
        Assert.Equal(Round.Open, (await route.GetCurrentRound())!.Status);
        var gone = fixture.Activations.Deactivated(route.GetGrainId());
        await route.Reload();
        await gone.WaitAsync(TimeSpan.FromSeconds(5));

        await fixture.Advance(TimeSpan.FromMinutes(50));

        // Activated again after the deadline on a silo that ran through it: missed, not "not watched".
        Assert.Equal(Round.Missed, (await route.GetCurrentRound())!.Status);
        Assert.Single(await fixture.Alerts(a => a.RouteId == "route-away" && a.Type == "patrol.roundMissed"));
    }

    [Fact]
    public async Task ARoundThatStartsAndEndsWhileItsRouteSleepsIsMissedNotNotWatched()
    {
        // Watched from a round's start; then one jump of the clock past that round and the whole of the next.
        await fixture.AdvanceToNextRoundStart();
        var route = fixture.Grains.GetGrain<IRouteGrain>("route-jump");
        Assert.Equal(Round.Open, (await route.GetCurrentRound())!.Status);
        await fixture.Advance(TimeSpan.FromHours(3));

        var rounds = await fixture.Grains.GetGrain<ILedgerGrain>(0).Rounds(new RoundQuery("route-jump", null, null));
        Assert.Equal([Round.Missed, Round.Missed], rounds.Select(r => r.Status));
    }

    [Fact]
    public async Task ADailyLedgerIsDueAtItsCronTimeInSiteTimeAndOverdueWhenNoInspectionComesWithinItsMinutes()
    {
        await fixture.AdvanceToLocal(7, 0);
        var ledger = fixture.Grains.GetGrain<ICheckpointGrain>("cp-daily");
        await ledger.Start();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var eight = fixture.Time.GetUtcNow() + TimeSpan.FromHours(1);
        Assert.Equal(eight, (await ledger.GetStatus())!.DueAt);
        Assert.Equal(8, TimeZoneInfo.ConvertTime(eight, zone).Hour);

        await fixture.AdvanceToLocal(8, 59);
        Assert.Empty(await fixture.Alerts(a => a.CheckpointId == "cp-daily"));

        await fixture.AdvanceToLocal(9, 0);
        var overdue = Assert.Single(await fixture.Alerts(a => a.CheckpointId == "cp-daily"));
        Assert.Equal(("inspection.overdue", eight), (overdue.Type, overdue.DueAt));

        await fixture.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(CheckInOutcome.Recorded, (await ledger.CheckIn(Visit("DAY-1"))).Outcome);
        Assert.False(Assert.Single(await fixture.Alerts(a => a.CheckpointId == "cp-daily")).Active);
        Assert.Equal(eight + TimeSpan.FromDays(1), (await ledger.GetStatus())!.DueAt);
    }

    [Fact]
    public async Task AGaugeReadingThatDisagreesWithTheSensorBeyondToleranceRaisesAMismatchAndAnAgreeingOneClearsIt()
    {
        var now = fixture.Time.GetUtcNow();
        await fixture.Grains.GetGrain<SafetyPatrol.Devices.IDeviceGrain>("o2-1").Report(Readings.Of(now, ("o2Pressure", 400.0)));
        var checkpoint = fixture.Grains.GetGrain<ICheckpointGrain>("cp-gauge");
        var info = await checkpoint.GetInfo();
        Assert.Equal(new GaugeItem("Manifold gauge (kPa)", "o2-1", "o2Pressure", 20), Assert.Single(info!.Gauges));
        Assert.Equal(["Manifold gauge (kPa)", "No grease"], info.Checklist);

        await checkpoint.CheckIn(Visit("O2-1", findings: new Finding("Manifold gauge (kPa)", true, Value: 421)));
        var mismatch = Assert.Single(await fixture.Alerts(a => a.CheckpointId == "cp-gauge"));
        Assert.Equal(("inspection.mismatch", "finding", "major", "o2-1"), (mismatch.Type, mismatch.Category, mismatch.Severity, mismatch.DeviceId));
        Assert.Equal((421.0, 400.0), (mismatch.Value, mismatch.Threshold));
        Assert.Contains("421", mismatch.Message);
        Assert.Contains("400", mismatch.Message);

        await fixture.Advance(TimeSpan.FromMinutes(2));
        await checkpoint.CheckIn(Visit("O2-1", findings: new Finding("Manifold gauge (kPa)", true, Value: 420)));
        Assert.False(Assert.Single(await fixture.Alerts(a => a.CheckpointId == "cp-gauge")).Active);
    }
}
