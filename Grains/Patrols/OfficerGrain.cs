using Microsoft.Extensions.Options;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Alerts;
using SafetyPatrol.Grains.Scheduling;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Patrols;

namespace SafetyPatrol.Grains.Patrols;

/// <summary>
/// The lone-officer watch: an officer whose round is under way and who has not checked in for
/// <see cref="PatrolOptions.OfficerSilentMinutes"/> raises <c>patrol.officerSilent</c>.
/// </summary>
public sealed class OfficerGrain(
    [PersistentState("officer")] IPersistentState<OfficerState> state,
    SiteCatalog catalog,
    DeadlineScheduler scheduler,
    IOptions<PatrolOptions> options,
    [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IOfficerGrain
{
    public const string SilentType = "patrol.officerSilent";

    private AlertSlots _alerts = null!;

    private OfficerState State => state.State;

    private TimeSpan Limit => TimeSpan.FromMinutes(options.Value.OfficerSilentMinutes);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _alerts = new AlertSlots(GrainFactory, State.AlertIds, AlertSlots.Remember(state));
        Plan();
        return Task.CompletedTask;
    }

    public async Task CheckedIn(DateTimeOffset at)
    {
        State.LastCheckInAt = at;
        await Evaluate(time.GetUtcNow());
    }

    public async Task RoundStarted(string roundId, string routeId)
    {
        State.OpenRounds[roundId] = routeId;
        await Evaluate(time.GetUtcNow());
    }

    public async Task RoundEnded(string roundId)
    {
        if (State.OpenRounds.Remove(roundId))
        {
            await Evaluate(time.GetUtcNow());
        }
    }

    public Task OnDeadline() => Evaluate(time.GetUtcNow());

    private async Task Evaluate(DateTimeOffset now)
    {
        var silent = State.OpenRounds.Count > 0 && State.LastCheckInAt is { } last && now - last >= Limit;
        if (silent && !State.Silent)
        {
            var officer = this.GetPrimaryKeyString();
            var routes = State.OpenRounds.Values.Distinct().Select(r => catalog.Routes.GetValueOrDefault(r)?.Name ?? r);
            await _alerts.Raise(SilentType, new AlertSpec(SilentType, AlertCategory.Patrol, Severities.Major,
                $"{officer} has not checked in for {options.Value.OfficerSilentMinutes} min during {string.Join(", ", routes)}",
                RouteId: State.OpenRounds.Values.First(), Officer: officer, MessageKey: "patrol.officerSilent",
                MessageArgs: new Dictionary<string, string>
                {
                    ["officer"] = officer, ["minutes"] = options.Value.OfficerSilentMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture), ["routes"] = string.Join(", ", routes),
                }), now);
        }
        else if (!silent && State.Silent)
        {
            await _alerts.Clear(SilentType, now);
        }

        State.Silent = silent;
        await state.WriteStateAsync();
        Plan();
    }

    private void Plan()
    {
        if (!State.Silent && State.OpenRounds.Count > 0 && State.LastCheckInAt is { } last)
        {
            scheduler.Schedule(this.GetGrainId(), last + Limit);
        }
        else
        {
            scheduler.Cancel(this.GetGrainId());
        }
    }
}
