using System.Security.Cryptography;
using System.Text.Json;
using SafetyPatrol.Push;

namespace SafetyPatrol.Web.Hubs;

/// <summary>
/// The events this host forwarded lately, so one that reaches it twice (Orleans may resend a one-way
/// message while a silo starts) reaches each console once. A versioned payload (an alert, a room's or a
/// building's totals) is the same when its name, key and version are; any other when its name and payload
/// are: a second copy would change nothing on a console anyway.
/// </summary>
public sealed class RecentEvents(int capacity = 4096)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock _gate = new();
    private readonly HashSet<UInt128> _seen = [];
    private readonly Queue<UInt128> _order = new();

    /// <summary>True the first time an event is offered; false for a copy of one still remembered.</summary>
    public bool IsNew(ConsoleEvent consoleEvent)
    {
        var bytes = consoleEvent.Payload is IVersionedPush versioned
            ? System.Text.Encoding.UTF8.GetBytes($"{versioned.PushKey}\n{versioned.Version}")
            : JsonSerializer.SerializeToUtf8Bytes(consoleEvent.Payload, consoleEvent.Payload.GetType(), Json);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(consoleEvent.Name), 0, .. bytes], hash);
        var key = new UInt128(BitConverter.ToUInt64(hash), BitConverter.ToUInt64(hash[8..]));
        lock (_gate)
        {
            if (!_seen.Add(key))
            {
                return false;
            }

            _order.Enqueue(key);
            if (_order.Count > capacity)
            {
                _seen.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
