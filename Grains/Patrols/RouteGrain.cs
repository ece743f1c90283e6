using System.Globalization;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Alerts;
using SafetyPatrol.Grains.Scheduling;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Patrols;
using SafetyPatrol.Push;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Patrols;

/// <summary>
/// A route: opens a round on its schedule, records each checkpoint visited (by whom, when, in order
/// or not) and raises <c>patrol.roundMissed</c>, naming the checkpoints missed, for a round not
/// completed within <c>completeWithinMinutes</c>.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class RouteGrain(
    [PersistentState("route")] IPersistentState<RouteState> state,
    SiteCatalog catalog,
    DeadlineScheduler scheduler,
    ILedgerStore ledger,
    [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IRouteGrain
{
    /// <summary>The version of its last console event (<see cref="PushVersion"/>).</summary>
    private long _pushed;

    public const string MissedType = "patrol.roundMissed";

    private RouteDefinition? _route;
    private DateTimeOffset _activatedAt;
    private RoundSchedule _schedule = null!;
    private AlertSlots _alerts = null!;
    private Wakeup _wakeup = null!;

    private RouteState State => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _route = catalog.Routes.GetValueOrDefault(this.GetPrimaryKeyString());
        if (_route is null)
        {
            return;
        }

        _schedule = new RoundSchedule(_route, catalog.RouteSites[_route.Id].TimeZone);
        _alerts = new AlertSlots(GrainFactory, State.AlertIds, AlertSlots.Remember(state));
        _wakeup = scheduler.For(this.GetGrainId());
        _activatedAt = time.GetUtcNow();
        await Tick(_activatedAt);
    }

    // Taken away by the runtime (its directory entry died with another silo): woken again within a second, to watch on.
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _wakeup?.Deactivated(reason);
        return Task.CompletedTask;
    }

    public Task Start() => Task.CompletedTask;

    public Task Reload()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task<Round?> GetCurrentRound() => Task.FromResult(State.Current);

    public async Task OnDeadline()
    {
        if (_route is not null)
        {
            _wakeup.Woken();
            await Tick(time.GetUtcNow());
        }
    }

    public async Task Visited(string checkpointId, string officer, DateTimeOffset at)
    {
        if (_route is null)
        {
            return;
        }

        await Tick(at);
        if (State.Current is not { Status: Round.Open } round || round.Visits.Any(v => v.CheckpointId == checkpointId))
        {
            return;
        }

        var expected = _route.Checkpoints.First(c => round.Visits.All(v => v.CheckpointId != c));
        var visits = round.Visits.Append(new RoundVisit(checkpointId, officer, at, checkpointId == expected)).ToList();
        var missing = _route.Checkpoints.Where(c => visits.All(v => v.CheckpointId != c)).ToList();
        round = round with { Visits = visits, Missing = missing, StartedBy = round.StartedBy ?? officer };
        if (round.StartedBy == officer && round.Visits.Count == 1)
        {
            await GrainFactory.GetGrain<IOfficerGrain>(officer).RoundStarted(round.Id, _route.Id);
        }

        if (missing.Count == 0)
        {
            round = round with { Status = Round.Completed, CompletedAt = at };
            await _alerts.Clear(MissedType, at);
        }

        await Save(round);
    }

    private async Task Tick(DateTimeOffset now)
    {
        if (State.Current is { Status: Round.Open } open && now >= open.DueAt)
        {
            // Open since an earlier activation saw it start: watched, unless the silo was not running at its deadline.
            await Miss(open, now, watched: open.DueAt >= scheduler.WatchingSince);
        }

        var start = _schedule.CurrentStart(now);
        if (start is { } s && State.Current?.StartsAt != s)
        {
            var round = new Round($"{_route!.Id}@{s.UtcDateTime:yyyyMMddTHHmmZ}", _route.Id, _route.Name, s,
                s + TimeSpan.FromMinutes(_route.CompleteWithinMinutes), Round.Open, null, null, [], _route.Checkpoints)
            {
                SiteId = catalog.SiteOf(_route.Id),
            };
            await Save(round);
            if (now >= round.DueAt)
            {
                // Seen for the first time after its deadline: watched only if it started while this activation was up
                // (it slept through the whole round), not if it was under way already when the route was activated.
                await Miss(round, now, watched: round.StartsAt >= _activatedAt && round.DueAt >= scheduler.WatchingSince);
            }
        }

        var next = _schedule.NextStart(now);
        if (State.Current is { Status: Round.Open } current && current.DueAt < next)
        {
            next = current.DueAt;
        }

        _wakeup.NoLaterThan(next);
    }

    /// <summary>
    /// A round past its deadline: missed if it was watched (it started while the route was active, or an earlier
    /// activation saw it open; and the silo ran at its deadline, even if this activation began only after it: moved from
    /// a dead silo, or woken after the runtime took it away), otherwise recorded as not watched.
    /// </summary>
    private async Task Miss(Round round, DateTimeOffset now, bool watched)
    {
        if (!watched)
        {
            await Save(round with { Status = Round.NotWatched });
            return;
        }

        var names = round.Missing.Select(id => catalog.Checkpoints[id].Checkpoint.Name);
        var local = TimeZoneInfo.ConvertTime(round.StartsAt, catalog.RouteSites[_route!.Id].TimeZone).ToString("HH:mm", CultureInfo.InvariantCulture);
        var message = $"{_route!.Name}: round of {local} not completed within {_route.CompleteWithinMinutes} min; missed {string.Join(", ", names)}";
        await _alerts.Raise(MissedType, new AlertSpec(MissedType, AlertCategory.Patrol, Severities.Major, message, RouteId: _route.Id, Officer: round.StartedBy,
            MessageKey: "patrol.roundMissed",
            MessageArgs: new Dictionary<string, string>
            {
                ["route"] = _route.Name, ["start"] = local, ["minutes"] = _route.CompleteWithinMinutes.ToString(CultureInfo.InvariantCulture), ["missed"] = string.Join(", ", names),
            }), now);
        await Save(round with { Status = Round.Missed });
    }

    private async Task Save(Round round)
    {
        var previous = State.Current;
        State.Current = round;
        await state.WriteStateAsync();
        await ledger.SaveRound(round);
        if (previous is { StartedBy: { } officer } && (previous.Id != round.Id || round.Status != Round.Open) && previous.Status == Round.Open)
        {
            await GrainFactory.GetGrain<IOfficerGrain>(officer).RoundEnded(previous.Id);
        }

        await GrainFactory.GetGrain<IPatrolBoardGrain>(0).RoundChanged(round);
        await GrainFactory.GetGrain<IConsolePushGrain>(0).Push(new ConsoleEvent(ConsoleEvent.RoundUpdated, round, round.Id, PushVersion.Advance(ref _pushed, time)));
    }
}
