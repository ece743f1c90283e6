"""Sums a dotnet-trace speedscope export (sampled thread time) into CPU shares per frame, waits left out.

Usage: python3 bench/hotspots.py trace.speedscope.json
"""
import collections, json, sys

d = json.load(open(sys.argv[1]))
frames = [f['name'] for f in d['shared']['frames']]
inclusive = collections.Counter(); total = 0.0
waits = ('Wait', 'Sleep', 'epoll', 'Semaphore', 'Monitor.', 'Park', 'Blocking', 'poll_', 'SpinWait')
for profile in d['profiles']:
    stack, last = [], None
    for event in profile['events']:
        at = event['at']
        if stack and last is not None and at > last:
            names = [frames[i] for i in stack]
            leaf = names[-1]
            waiting = any(k in leaf for k in waits) or (leaf.startswith('UNMANAGED_CODE_TIME') and any(any(k in n for k in waits) for n in names[-3:]))
            if not waiting:
                total += at - last
                for name in set(names):
                    inclusive[name] += at - last
        last = at
        if event['type'] == 'O':
            stack.append(event['frame'])
        elif event['frame'] in stack:
            del stack[len(stack) - 1 - stack[::-1].index(event['frame']):]
print(f'CPU time sampled: {total / 1000:.1f} s')
for name, ms in inclusive.most_common(800):
    if any(k in name for k in ('SafetyPatrol', 'MQTTnet', 'Orleans', 'Kestrel', 'Sqlite', 'Json', 'Socket')):
        print(f'{ms / total:6.1%}  {name[:150]}')
