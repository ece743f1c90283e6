"""Where a reading's time goes: a dotnet-trace speedscope export (sampled thread time) of the system at capacity, each
busy sample given to the innermost part of the way it is on, in µs per reading.

Usage: python3 bench/breakdown.py trace.speedscope.json CORES READINGS_PER_SECOND
CORES: the system's CPU over the traced run (in cores); READINGS_PER_SECOND: what it took meanwhile.
"""
import collections, json, sys

# Walked from the leaf up: the first part whose pattern a frame holds takes the sample.
PARTS = [
    ("store (SQLite writer)", ("Microsoft.Data.Sqlite", "SQLitePCL", "SqliteStore", "RelationalStore", "Npgsql")),
    ("history (minute aggregates)", ("History",)),
    ("push (console)", ("ConsolePush", "ConsoleHubBridge", "SignalR", "RecentEvents")),
    ("alerts", ("AlertGrain", "AlertSlots", "AlarmHandling", "RoomGrain")),
    ("rules (device grain)", ("DeviceGrain", "CompiledRule", "MetricValue")),
    ("grain call (Orleans messaging, serialisation, scheduling)", ("Orleans",)),
    ("ingestion (publish interceptor, device feed)", ("MqttIngestion", "DeviceFeed", "FeedPacer", "IngestionCounters", "MqttConnectionGuard")),
    ("MQTT parse (packets, JSON payload)", ("MQTTnet", "TelemetryParser", "WholePacketReader", "System.Text.Json")),
    ("socket and Kestrel", ("Kestrel", "System.Net.Sockets", "System.IO.Pipelines", "Socket")),
    ("GC", ("gc_heap", "GarbageCollect", "WKS::", "SVR::")),
    ("thread pool (dispatch, spinning for work)", ("ThreadPool", "LowLevelSpinWaiter", "LowLevelLifoSemaphore")),
]
WAITS = ('Wait', 'Sleep', 'epoll', 'Semaphore', 'Monitor.', 'Park', 'Blocking', 'poll_', 'FileSystemWatcher')

d = json.load(open(sys.argv[1]))
cores, rate = float(sys.argv[2]), float(sys.argv[3])
frames = [f['name'] for f in d['shared']['frames']]
part_of = {}
def part(stack):
    for i in reversed(stack):
        if i not in part_of:
            name = frames[i]
            part_of[i] = next((p for p, keys in PARTS if any(k in name for k in keys)), None)
        if part_of[i]:
            return part_of[i]
    return "other (runtime, timers)"

busy = collections.Counter(); total = 0.0
for profile in d['profiles']:
    stack, last = [], None
    for event in profile['events']:
        at = event['at']
        if stack and last is not None and at > last:
            # A thread blocked (in native code under a wait, or the file watcher's read) is not using the CPU.
            names = [frames[i] for i in stack[-3:]]
            blocked = names[-1].startswith('UNMANAGED_CODE_TIME') and any(any(k in n for k in WAITS) for n in names)
            if not blocked:
                busy[part(stack)] += at - last
                total += at - last
        last = at
        if event['type'] == 'O':
            stack.append(event['frame'])
        elif event['frame'] in stack:
            del stack[len(stack) - 1 - stack[::-1].index(event['frame']):]

per_reading = cores * 1e6 / rate
print(f"| part | share of busy CPU | µs per reading |\n|---|---|---|")
for name, _ in PARTS + [("other (runtime, timers)", ())]:
    share = busy[name] / total if total else 0
    print(f"| {name} | {share:.1%} | {share * per_reading:.1f} |")
print(f"| **all** | 100 % | **{per_reading:.1f}** ({cores:.2f} cores at {rate:,.0f} readings/s) |")
