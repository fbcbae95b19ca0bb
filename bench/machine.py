"""What a benchmark ran on: the CPU model (``/proc/cpuinfo``) and the total memory (``/proc/meminfo``)."""

from __future__ import annotations

import platform
from pathlib import Path


def cpu_model() -> str:
    """The first ``model name`` of ``/proc/cpuinfo``; ``platform.processor()`` or ``?`` where there is none."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"
