"""What the bench scripts share: a section of docs/benchmarks.md between its markers, written anew each run."""
import csv
import os
import re
from datetime import datetime


def load_shape():
    """How the run's devices sent, as the table says it: IN_STEP=1 runs the simulator with --in-step."""
    return ("the devices in step (IN_STEP=1): each period's readings all at once" if os.environ.get("IN_STEP")
            else "each device begins at a random point of its period")


def write(mark, section, path="docs/benchmarks.md"):
    """Puts `section` (which starts with <!-- mark --> and ends with <!-- /mark -->) in place of the last one, or at the end."""
    text = open(path).read()
    if f"<!-- {mark} -->" in text:
        text = re.sub(f"<!-- {mark} -->.*<!-- /{mark} -->\n", lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    open(path, "w").write(text)


def way_in_and_out(path):
    """
    From a simulator's --markers-out file, the site consoles' deliveries split at the moment the system handled each
    marker's reading (its own clock; the system runs on this machine): p99 of the way in (sent → handled: MQTT, the
    device's grain) and of the way out (handled → at the console: push, hub, the socket, the simulator).
    """
    def at(text):
        return datetime.fromisoformat(text.replace("Z", "+00:00"))

    ways_in, ways_out = [], []
    with open(path) as markers:
        for row in csv.DictReader(markers):
            if row["console"] != "all" and row["handled"] and row["received"]:
                sent, handled, received = at(row["sent"]), at(row["handled"]), at(row["received"])
                ways_in.append((handled - sent).total_seconds() * 1000)
                ways_out.append((received - handled).total_seconds() * 1000)
    if not ways_in:
        return "no delivery to split"
    p99 = lambda values: sorted(values)[min(len(values) - 1, int(len(values) * 0.99))]
    return f"p99 of the way in (sent → handled) {p99(ways_in):.1f} ms, of the way out (handled → console) {p99(ways_out):.1f} ms"


def push_within(before, after, bound):
    """
    From two scrapes of a node's safetypatrol_console_push_seconds buckets (Prometheus text), the share of the alerts
    pushed between them within `bound` seconds: the node's own figure, every alert of every site, at no console's pace.
    """
    def buckets(path):
        counts = {}
        for line in open(path):
            found = re.search(r'le="([^"]+)"\} (\S+)', line)
            if found:
                counts[found.group(1)] = counts.get(found.group(1), 0) + float(found.group(2))
        return counts

    first, last = buckets(before), buckets(after)
    total = last.get("+Inf", 0) - first.get("+Inf", 0)
    within = [le for le in last if le != "+Inf" and float(le) == bound]
    if total <= 0 or not within:
        return "not scraped"
    share = (last[within[0]] - first.get(within[0], 0)) / total
    return f"{share * 100:.2f} % within {bound * 1000:g} ms (n={total:,.0f})"
