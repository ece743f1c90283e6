using System.Globalization;
using Microsoft.Extensions.Options;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Alerts;
using SafetyPatrol.Grains.Scheduling;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Push;
using SafetyPatrol.Visitors;

namespace SafetyPatrol.Grains.Visitors;

/// <summary>
/// One visit. A visitor still on site <see cref="VisitorOptions.GraceMinutes"/> after the expected departure
/// raises <c>visitor.overdue</c>, which goes one severity up every <see cref="VisitorOptions.EscalateEveryMinutes"/>
/// as an overdue inspection does; checking out clears it. The visitor store is its storage.
/// </summary>
public sealed class VisitorGrain(
    IVisitorStore store,
    SiteCatalog catalog,
    DeadlineScheduler scheduler,
    IOptions<VisitorOptions> options,
    [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IVisitorGrain
{
    /// <summary>The version of its last console event (<see cref="PushVersion"/>).</summary>
    private long _pushed;

    public const string OverdueType = "visitor.overdue";
    private const string OverdueSlot = "overdue";

    private VisitorRecord? _record;
    private AlertSlots _alerts = null!;
    private Wakeup _wakeup = null!;

    private TimeSpan Grace => TimeSpan.FromMinutes(options.Value.GraceMinutes);

    private TimeSpan Step => TimeSpan.FromMinutes(options.Value.EscalateEveryMinutes);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _wakeup = scheduler.For(this.GetGrainId());
        _record = await store.GetVisitor(this.GetPrimaryKeyString());
        if (_record is not null)
        {
            Watch(_record);
            await Evaluate(time.GetUtcNow());
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _wakeup?.Deactivated(reason);
        return Task.CompletedTask;
    }

    public Task Start() => Task.CompletedTask;

    public async Task<Visitor> Register(Visitor visitor, string idHash)
    {
        if (_record is not null)
        {
            return _record.Visitor;
        }

        _record = new VisitorRecord { Visitor = visitor, IdHash = idHash };
        Watch(_record);
        await Save();
        await Evaluate(time.GetUtcNow());
        return _record.Visitor;
    }

    public Task<Visitor?> Get()
    {
        // Past its retention the visit is gone from the store; this activation forgets it too.
        if (_record?.Visitor.DepartedAt < time.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays))
        {
            _record = null;
        }

        if (_record is null)
        {
            DeactivateOnIdle();
        }

        return Task.FromResult(_record?.Visitor);
    }

    public async Task<VisitorResult> CheckOut(string by)
    {
        if (_record is not { } record)
        {
            return new VisitorResult(VisitorOutcome.NotFound, null);
        }

        if (!record.Visitor.OnSite)
        {
            return new VisitorResult(VisitorOutcome.Conflict, record.Visitor);
        }

        var now = time.GetUtcNow();
        record.Visitor = record.Visitor with { DepartedAt = now, CheckedOutBy = by, Overdue = false };
        await _alerts.Clear(OverdueSlot, now);
        await Save();
        _wakeup.Cancel();

        // Nothing more to watch: the visit is read from the store when asked for, until its retention ends.
        DeactivateOnIdle();
        return new VisitorResult(VisitorOutcome.Done, record.Visitor);
    }

    public async Task OnDeadline()
    {
        _wakeup.Woken();
        if (_record is not null)
        {
            await Evaluate(time.GetUtcNow());
        }
    }

    private void Watch(VisitorRecord record) => _alerts = new AlertSlots(GrainFactory, record.AlertIds, Save);

    /// <summary>Raises and escalates <c>visitor.overdue</c> while the visitor is past due, and plans the next wake-up.</summary>
    private async Task Evaluate(DateTimeOffset now)
    {
        var record = _record!;
        var visitor = record.Visitor;
        if (!visitor.OnSite)
        {
            return;
        }

        var due = visitor.ExpectedDeparture + Grace;
        if (now < due)
        {
            _wakeup.NoLaterThan(due);
            return;
        }

        if (!visitor.Overdue)
        {
            var local = TimeZoneInfo.ConvertTime(visitor.ExpectedDeparture, (catalog.Rooms.GetValueOrDefault(visitor.HostRoomId)?.Site ?? catalog.First).TimeZone).ToString("HH:mm", CultureInfo.InvariantCulture);
            var grace = options.Value.GraceMinutes.ToString(CultureInfo.InvariantCulture);
            // The pass, host and place, not the visitor's name: alerts are read by more people than visitor records.
            var args = new Dictionary<string, string> { ["pass"] = visitor.Pass, ["host"] = visitor.HostName, ["place"] = visitor.HostPlace, ["due"] = local, ["grace"] = grace };
            record.Visitor = visitor with { Overdue = true };
            record.Escalations = 0;

            // A new alert id is saved with the record (and pushed) by the slots before the alert is raised; an old one is not.
            var spec = new AlertSpec(OverdueType, AlertCategory.Visitor, Severities.Minor,
                $"Visitor pass {visitor.Pass} (host {visitor.HostName}, {visitor.HostPlace}) not checked out by {local} + {grace} min",
                visitor.BuildingId, visitor.HostRoomId, VisitorId: visitor.Id, MessageKey: "visitor.overdue", MessageArgs: args);
            if (!await _alerts.Raise(OverdueSlot, spec, now))
            {
                await Save();
            }
        }

        // One step per interval past due, also those a restart slept through.
        var steps = (int)((now - due) / Step);
        while (record.Escalations < steps && record.AlertIds.TryGetValue(OverdueSlot, out var alertId))
        {
            record.Escalations++;
            await Save();
            var minutes = (record.Escalations * options.Value.EscalateEveryMinutes).ToString(CultureInfo.InvariantCulture);
            await GrainFactory.GetGrain<IAlertGrain>(alertId).Escalate(now, $"still on site {minutes} min after the visit became overdue",
                "note.stillOnSite", new Dictionary<string, string> { ["minutes"] = minutes });
        }

        _wakeup.NoLaterThan(due + Step * (record.Escalations + 1));
    }

    private async Task Save()
    {
        await store.SaveVisitor(_record!);
        await GrainFactory.GetGrain<IConsolePushGrain>(0).Push(new ConsoleEvent(ConsoleEvent.VisitorUpdated, _record!.Visitor, _record.Visitor.Id, PushVersion.Advance(ref _pushed, time)));
    }
}
