using Microsoft.Extensions.Options;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Alerts;
using SafetyPatrol.Grains.Scheduling;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Push;
using SafetyPatrol.Tickets;

namespace SafetyPatrol.Grains.Tickets;

/// <summary>
/// A repair ticket and its two SLA timers: not in progress within <see cref="TicketOptions.RespondWithinMinutes"/>,
/// not done within <see cref="TicketOptions.CompleteWithinHours"/>; either raises <c>ticket.overdue</c>, which the
/// next step clears. Signing it off resolves the alert it was opened from, with the sign-off note.
/// </summary>
public sealed class TicketGrain(
    [PersistentState("ticket")] IPersistentState<TicketState> state,
    ITicketStore store,
    DeadlineScheduler scheduler,
    IOptions<TicketOptions> options,
    [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, ITicketGrain
{
    /// <summary>The version of its last console event (<see cref="PushVersion"/>).</summary>
    private long _pushed;

    public const string OverdueType = "ticket.overdue";
    private const string OverdueSlot = "overdue";

    private AlertSlots _alerts = null!;
    private Wakeup _wakeup = null!;

    private Ticket? Current => state.State.Ticket;

    private TimeSpan RespondWithin => TimeSpan.FromMinutes(options.Value.RespondWithinMinutes);

    private TimeSpan CompleteWithin => TimeSpan.FromHours(options.Value.CompleteWithinHours);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _alerts = new AlertSlots(GrainFactory, state.State.AlertIds, AlertSlots.Remember(state));
        _wakeup = scheduler.For(this.GetGrainId());
        if (Current is not null)
        {
            await Evaluate(time.GetUtcNow());
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _wakeup?.Deactivated(reason);
        return Task.CompletedTask;
    }

    public Task Start() => Task.CompletedTask;

    public async Task OnDeadline()
    {
        _wakeup.Woken();
        if (Current is not null)
        {
            await Evaluate(time.GetUtcNow());
        }
    }

    public async Task<Ticket> Open(NewTicket ticket)
    {
        if (Current is { } existing)
        {
            return existing;
        }

        var now = time.GetUtcNow();
        List<TicketEvent> history = [new(now, ticket.Reporter, "created", ticket.Description)];
        if (ticket.Assignee is not null)
        {
            history.Add(new(now, ticket.Reporter, TicketStatus.Assigned, ticket.Assignee));
        }

        state.State.Ticket = new Ticket(this.GetPrimaryKeyString(), ticket.Title, ticket.Assignee is null ? TicketStatus.Open : TicketStatus.Assigned,
            ticket.Reporter, now, ticket.BuildingId, ticket.RoomId, ticket.Description, ticket.AlertId, ticket.Assignee,
            null, null, null, null, false, history)
        {
            SiteId = ticket.SiteId,
        };
        await Save();
        await Evaluate(now);
        return Current!;
    }

    public Task<Ticket?> Get() => Task.FromResult(Current);

    public async Task<TicketResult> Change(TicketChange change)
    {
        if (Current is not { } ticket)
        {
            return new TicketResult(TicketOutcome.NotFound, null);
        }

        if (change.AsTechnician && (ticket.Assignee != change.By || change.Assignee is not null && change.Assignee != change.By))
        {
            return new TicketResult(TicketOutcome.Forbidden, ticket, ProblemText.Of("ticket.notYours"));
        }

        if (ticket.Status is TicketStatus.Done or TicketStatus.SignedOff)
        {
            return new TicketResult(TicketOutcome.Conflict, ticket, ProblemText.Of("ticket.onlySignOff", ("status", ticket.Status)));
        }

        var now = time.GetUtcNow();
        var history = ticket.History.ToList();
        if (change.Assignee is { } assignee && assignee != ticket.Assignee)
        {
            ticket = ticket with { Assignee = assignee, Status = ticket.Status == TicketStatus.Open ? TicketStatus.Assigned : ticket.Status };
            history.Add(new(now, change.By, TicketStatus.Assigned, assignee + (change.Note is null ? "" : " — " + change.Note)));
        }

        if (change.Status is { } status && status != ticket.Status)
        {
            var problem = status switch
            {
                TicketStatus.Assigned when ticket.Assignee is null => ProblemText.Of("ticket.assignFirst"),
                TicketStatus.Assigned => ProblemText.Of("ticket.pastStep"),
                TicketStatus.InProgress when ticket.Assignee is null => ProblemText.Of("ticket.assignBeforeWork"),
                TicketStatus.Done when ticket.Status != TicketStatus.InProgress => ProblemText.Of("ticket.startFirst"),
                _ => null,
            };
            if (problem is not null)
            {
                return new TicketResult(TicketOutcome.Conflict, Current, problem);
            }

            ticket = ticket with
            {
                Status = status,
                StartedAt = status == TicketStatus.InProgress ? ticket.StartedAt ?? now : ticket.StartedAt,
                DoneAt = status == TicketStatus.Done ? now : ticket.DoneAt,
            };
            history.Add(new(now, change.By, status, change.Note));
        }
        else if (change.Note is not null && change.Assignee is null)
        {
            history.Add(new(now, change.By, "note", change.Note));
        }

        state.State.Ticket = ticket with { History = history };
        await Save();
        await Evaluate(now);
        return new TicketResult(TicketOutcome.Done, Current);
    }

    public async Task<TicketResult> SignOff(TicketSignOff signOff)
    {
        if (Current is not { } ticket)
        {
            return new TicketResult(TicketOutcome.NotFound, null);
        }

        if (!signOff.AsOperator && signOff.By != ticket.Reporter)
        {
            return new TicketResult(TicketOutcome.Forbidden, ticket, ProblemText.Of("ticket.signOffWho"));
        }

        if (ticket.Status != TicketStatus.Done)
        {
            return new TicketResult(TicketOutcome.Conflict, ticket, ProblemText.Of("ticket.signOffDone", ("status", ticket.Status)));
        }

        var now = time.GetUtcNow();
        var history = ticket.History.Append(new TicketEvent(now, signOff.By, signOff.Accepted ? TicketStatus.SignedOff : "rejected", signOff.Note)).ToList();
        state.State.Ticket = signOff.Accepted
            ? ticket with { Status = TicketStatus.SignedOff, SignedOffAt = now, SignedOffBy = signOff.By, History = history }
            : ticket with { Status = TicketStatus.InProgress, DoneAt = null, History = history };
        await Save();
        if (signOff.Accepted && ticket.AlertId is { } alertId)
        {
            await GrainFactory.GetGrain<IAlertGrain>(alertId).Resolve(signOff.By, $"Repair signed off (ticket {ticket.Id}): {signOff.Note}",
                "note.repairSignedOff", new Dictionary<string, string> { ["ticket"] = ticket.Id, ["note"] = signOff.Note ?? "" });
        }

        await Evaluate(now);
        return new TicketResult(TicketOutcome.Done, Current);
    }

    /// <summary>Raises, moves on or clears <c>ticket.overdue</c>, and plans the next wake-up.</summary>
    private async Task Evaluate(DateTimeOffset now)
    {
        var ticket = Current!;
        var respondBy = ticket.CreatedAt + RespondWithin;
        var completeBy = ticket.CreatedAt + CompleteWithin;
        var waiting = ticket.Status is TicketStatus.Open or TicketStatus.Assigned;
        var working = waiting || ticket.Status == TicketStatus.InProgress;

        // Which limit it has broken, the later one first.
        var late = working && now >= completeBy ? "done" : waiting && now >= respondBy ? "started" : null;
        if (late != state.State.LateFor)
        {
            state.State.LateFor = late;
            if (late is not null)
            {
                var limit = late == "started" ? $"{options.Value.RespondWithinMinutes} min" : $"{options.Value.CompleteWithinHours} h";
                var args = new Dictionary<string, string> { ["title"] = ticket.Title, ["limit"] = limit, ["assignee"] = ticket.Assignee ?? "-" };
                await _alerts.Raise(OverdueSlot, new AlertSpec(OverdueType, AlertCategory.Ticket, Severities.Minor,
                    $"Repair \"{ticket.Title}\" not {late} within {limit} (assignee: {ticket.Assignee ?? "none"})",
                    ticket.BuildingId, ticket.RoomId, TicketId: ticket.Id,
                    MessageKey: late == "started" ? "ticket.notStarted" : "ticket.notDone", MessageArgs: args), now);
                ticket = ticket with { Overdue = true, History = [.. ticket.History, new(now, "system", "overdue", $"not {late} within {limit}")
                {
                    NoteKey = late == "started" ? "note.notStartedWithin" : "note.notDoneWithin",
                    NoteArgs = new Dictionary<string, string> { ["limit"] = limit },
                }] };
            }
            else
            {
                await _alerts.Clear(OverdueSlot, now);
                ticket = ticket with { Overdue = false };
            }

            state.State.Ticket = ticket;
            await Save();
        }

        DateTimeOffset? next = waiting && now < respondBy ? respondBy : working && now < completeBy ? completeBy : null;
        _wakeup.NoLaterThan(next);
    }

    private async Task Save()
    {
        await state.WriteStateAsync();
        await store.SaveTicket(Current!);
        await GrainFactory.GetGrain<IConsolePushGrain>(0).Push(new ConsoleEvent(ConsoleEvent.TicketUpdated, Current!, Current!.Id, PushVersion.Advance(ref _pushed, time)));
    }
}

[GenerateSerializer]
public sealed class TicketState
{
    [Id(0)] public Ticket? Ticket { get; set; }

    /// <summary>The ticket's <c>ticket.overdue</c> alert.</summary>
    [Id(1)] public Dictionary<string, string> AlertIds { get; set; } = [];

    /// <summary>The limit it has broken: <c>started</c> or <c>done</c>; null while in time.</summary>
    [Id(2)] public string? LateFor { get; set; }
}
