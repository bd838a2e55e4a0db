"""Running a command on hostile input as a user would, in its own process, with what a user would notice measured:
exit status, everything printed, the time taken and the peak memory (resident set) of that process alone."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMIT = 60  # seconds
MEMORY_LIMIT = 1024**3  # bytes
OUTPUT_LIMIT = 20_000  # characters printed: a message a person can read, repeats summarised


@dataclass
class Outcome:
    exit_code: int
    output: str  # stdout and stderr together
    seconds: float
    peak_bytes: int

    def assert_handled(self, forbidden=()) -> None:
        """A clear refusal or a success: no traceback, a bounded message, nothing forbidden echoed, in time and
        memory."""
        assert "Traceback" not in self.output and "RecursionError" not in self.output, self.output[-2000:]
        assert len(self.output) <= OUTPUT_LIMIT, (len(self.output), self.output[:2000])
        assert self.seconds <= TIME_LIMIT, self.seconds
        assert self.peak_bytes <= MEMORY_LIMIT, self.peak_bytes
        echoed = [value for value in forbidden if value in self.output]
        assert echoed == [], echoed


# A small process between the tests and the command. On Linux a child's ru_maxrss starts from its parent's peak
# (carried through fork and exec), so measured straight from pytest it would report pytest's own few hundred MB; a
# launcher forked from a fresh small interpreter reports the command's own peak.
_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as peak:
    peak.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
if code < 0:  # killed by a signal: end the same way, so the test sees what the command did
    os.kill(os.getpid(), -code)
sys.exit(code)
"""


def run_cli(*args, cwd=ROOT, timeout: float = TIME_LIMIT * 2) -> Outcome:
    """``python -m mcn_map ARGS`` in a child process, with its own peak memory (not its parent's or siblings')."""
    with tempfile.TemporaryDirectory() as scratch, tempfile.TemporaryFile() as output:
        peak = Path(scratch) / "peak"
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", _LAUNCHER, str(peak), sys.executable, "-m", "mcn_map",
                                  *map(str, args)], stdout=output, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, cwd=cwd, start_new_session=True)
        timer = threading.Timer(timeout, lambda: os.killpg(child.pid, signal.SIGKILL))
        timer.start()
        try:
            child.wait()
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
        kilobytes = int(peak.read_text()) if peak.exists() else 0
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, kilobytes on Linux
    return Outcome(child.returncode, text, seconds, kilobytes * scale)


def digests(*paths) -> dict[str, str]:
    """The bytes of each regular file, hashed: inputs must come back unchanged."""
    return {str(p): hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths if Path(p).is_file()}
