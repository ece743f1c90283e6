using SafetyPatrol.Tickets;

namespace SafetyPatrol.Grains.Storage;

/// <summary>Repair tickets as the ticket list and reports read them; each ticket grain writes its own.</summary>
public interface ITicketStore
{
    Task SaveTicket(Ticket ticket);

    /// <summary>Tickets newest first.</summary>
    Task<IReadOnlyList<Ticket>> QueryTickets(TicketQuery query);
}
