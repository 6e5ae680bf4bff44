"""Host memory that stays with the process while it trains or predicts:
:func:`keep_freed_host_memory`.

A training step allocates and frees the same activations every iteration.
glibc's ``malloc`` hands large freed blocks back to the kernel (each block
above its mmap threshold is a mapping of its own, unmapped on ``free``, and
the heap's top is trimmed), so the next step's tensors are fresh pages that
the kernel maps and zero-fills one 4 KiB page at a time on first touch.  In
a virtual machine a page fault costs microseconds.  Measured on this
project's 2-core VM (``/usr/bin/time`` fault counts of ``fit`` runs):
ResNet-20 at batch 128 took about 2,300 faults a step and trained 10-15%
faster without them; the speedrun's batch of 2,000 took about a million a
step, and trained 1.7x faster without them; ResNet-50's ``predict`` at batch
16 ran 25% faster in fp32 and 8% in bf16.  jemalloc and tcmalloc keep freed
memory the same way; with glibc two ``mallopt`` settings do it in-process:
no mmap'ed blocks (``M_MMAP_MAX`` 0) and no trimming (``M_TRIM_THRESHOLD``
-1).  The price is that the process keeps its peak heap resident until it
ends: peak resident memory of the speedrun (batch 2,000) 3.5 instead of 3.1
GB, of ResNet-20 (batch 128) 1.07 instead of 1.06 GB.

The application layer sets it: a ``fit`` run (:class:`~chainvision.app.run.Run`,
so ``train``, ``reproduce`` and the benchmarks' fit rows), ``eval`` and
``predict``.  The library's own calls, such as
``model.predict`` or a ``Trainer`` you build, leave the process's allocator
alone: call :func:`keep_freed_host_memory` first in a program of your own.
"""

import ctypes
import os
import platform
import sys
from typing import Mapping, Optional

# mallopt's parameters, from glibc's <malloc.h>.
M_TRIM_THRESHOLD = -1
M_MMAP_MAX = -4

#: The environment variable that turns :func:`keep_freed_host_memory` off
#: (``0``).
OPT_OUT = 'CHAINVISION_KEEP_HOST_MEMORY'

_kept: Optional[bool] = None   # decided on the first call


def keep_freed_host_memory() -> bool:
    """Make this process's ``malloc`` keep freed memory for reuse instead of
    returning it to the kernel; once per process (a process-wide setting
    that cannot be undone).

    It does nothing, and returns ``False``, off Linux with glibc, where the
    allocator was configured already (any ``MALLOC_*`` variable or a
    ``malloc`` tunable in ``GLIBC_TUNABLES``; an allocator in
    ``LD_PRELOAD``), or where ``CHAINVISION_KEEP_HOST_MEMORY=0``.

    Returns:
        bool: whether the process keeps its freed memory now.
    """
    global _kept
    if _kept is None:
        _kept = _applies(os.environ)
        if _kept:
            mallopt = ctypes.CDLL(None).mallopt
            # mallopt(3): a trim threshold of -1 turns trimming off.
            _kept = bool(mallopt(M_MMAP_MAX, 0)) and bool(mallopt(M_TRIM_THRESHOLD, -1))
    return _kept


def on_glibc() -> bool:
    """Whether this process runs on Linux with glibc (whose ``mallopt``
    :func:`keep_freed_host_memory` calls)."""
    return sys.platform.startswith('linux') and platform.libc_ver()[0] == 'glibc'


def _applies(environ: Mapping[str, str]) -> bool:
    if not on_glibc():
        return False
    if environ.get(OPT_OUT, '1') == '0':
        return False
    configured = (any(name.startswith('MALLOC_') for name in environ)
                  or 'malloc' in environ.get('GLIBC_TUNABLES', '')
                  or 'malloc' in environ.get('LD_PRELOAD', ''))
    return not configured
