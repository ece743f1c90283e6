"""What the bench scripts share: a section of docs/benchmarks.md between its markers, written anew each run."""
import os
import re


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
