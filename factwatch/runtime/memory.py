"""Process memory settings, applied before anything large is imported or started."""

from __future__ import annotations

import ctypes
import os


def limit_heap_growth() -> None:
    """Have glibc hand big freed buffers (whole pages) back to the OS, here and in children.

    Without a fixed mmap threshold, glibc raises it after each large free, and a
    process that handled a few large pages keeps their memory for good.
    """
    os.environ.setdefault("MALLOC_MMAP_THRESHOLD_", "131072")
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 131072)  # M_MMAP_THRESHOLD
        libc.mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass
