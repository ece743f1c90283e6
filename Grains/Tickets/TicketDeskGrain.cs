using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Tickets;

namespace SafetyPatrol.Grains.Tickets;

[StatelessWorker]
public sealed class TicketDeskGrain(SiteCatalog catalog, ITicketStore store, [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, ITicketDeskGrain
{
    public async Task<TicketResult> Create(NewTicket ticket)
    {
        // A ticket opened from an alert takes its place from the alert.
        if (ticket.AlertId is { } alertId)
        {
            if (await GrainFactory.GetGrain<IAlertGrain>(alertId).Get() is not { } alert)
            {
                return new TicketResult(TicketOutcome.NotFound, null, ProblemText.Of("noAlert", ("id", alertId)));
            }

            ticket = ticket with { BuildingId = ticket.BuildingId ?? alert.BuildingId, RoomId = ticket.RoomId ?? alert.RoomId };
        }

        if (ticket.RoomId is { } roomId)
        {
            if (!catalog.Rooms.TryGetValue(roomId, out var room))
            {
                return new TicketResult(TicketOutcome.NotFound, null, ProblemText.Of("noRoom", ("id", roomId)));
            }

            ticket = ticket with { BuildingId = ticket.BuildingId ?? room.Building.Id };
        }

        if (ticket.BuildingId is { } buildingId && !catalog.Buildings.ContainsKey(buildingId))
        {
            return new TicketResult(TicketOutcome.NotFound, null, ProblemText.Of("noBuilding", ("id", buildingId)));
        }

        var id = Guid.CreateVersion7(time.GetUtcNow()).ToString();
        ticket = ticket with { SiteId = catalog.SiteOf(ticket.RoomId, ticket.BuildingId) };
        return new TicketResult(TicketOutcome.Done, await GrainFactory.GetGrain<ITicketGrain>(id).Open(ticket));
    }

    public Task<IReadOnlyList<Ticket>> Query(TicketQuery query) => store.QueryTickets(query);
}
