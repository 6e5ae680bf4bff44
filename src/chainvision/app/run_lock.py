"""One run folder, one process: the lock every run takes on its folder.

Two ``chainvision train --out X`` at once would mix their files (one's
config, the other's checkpoint and accuracy), so a run holds an operating
system lock (``fcntl.flock``) on ``X/.lock`` while it lives, and removes
the file when it ends.  The kernel drops the lock when the process ends,
however it ends (even ``kill -9``, which leaves the file behind unlocked),
so no stale lock is ever left to remove by hand.  Under torchrun the rank-0
process holds it for all ranks (only rank 0 writes the folder).

Holding the lock also makes the folder's unfinished temporary files (the
``.<name>.*.tmp`` of :func:`~chainvision.utils.atomic.atomic_write`) known
to be stale: their writer is gone, so they are removed.
"""

import contextlib
import errno
import fcntl
import os
import warnings
from typing import Iterator, List, Optional

from chainvision.app.run_folder import RunFolderWriteError
from chainvision.training import distributed

LOCK_NAME = '.lock'


class RunFolderBusyError(RuntimeError):
    """Another live process holds the run folder's lock.

    Attributes:
        folder (str): the run folder.
        pid (int or None): the holder's process id, when it wrote one.
    """

    def __init__(self, folder: str, pid: Optional[int]):
        self.folder, self.pid = folder, pid
        holder = 'process {}'.format(pid) if pid else 'another process'
        super().__init__('{} is in use by another chainvision run ({}); wait for it to end, '
                         'or choose another --out'.format(folder, holder))


@contextlib.contextmanager
def hold(folder: Optional[str]) -> Iterator[None]:
    """Hold the lock of the run folder ``folder`` (created if missing) in
    this block, and remove the stale temporaries it holds; in a torchrun
    process other than rank 0, and for ``folder=None``, do nothing.  A
    folder this made and nothing wrote into (a run refused for a bad
    dataset name) is removed again.

    Raises:
        RunFolderBusyError: another live process holds it.
        RunFolderWriteError: the folder or its lock file cannot be written.
    """
    if folder is None or distributed.rank_from_environment() != 0:
        yield
        return
    path = os.path.join(folder, LOCK_NAME)
    created = not os.path.isdir(folder)
    try:
        os.makedirs(folder, exist_ok=True)
        fd = _lock(path, folder)
    except OSError as error:   # a read-only or full file system
        raise RunFolderWriteError(error, folder) from error
    try:
        os.ftruncate(fd, 0)
        os.write(fd, '{}\n'.format(os.getpid()).encode())
        removed = remove_stale_temporaries(folder)
        if removed:
            warnings.warn('removed {} unfinished file(s) a stopped run left in {}: {}'.format(
                len(removed), folder, ', '.join(removed)))
        yield
    finally:
        # Removed while still locked, so that whoever opens the name next
        # gets a fresh file (see _lock).
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
        os.close(fd)   # releases the lock
        if created:
            with contextlib.suppress(OSError):   # not empty: the run wrote into it
                os.rmdir(folder)


def _lock(path: str, folder: str) -> int:
    """Open and lock ``path``; returns the descriptor."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            pid = _holder(fd)
            os.close(fd)
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
            raise RunFolderBusyError(folder, pid) from None
        # The holder may have removed the file between our open and our
        # lock: a lock on a removed file protects nothing, so try again.
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


def _holder(fd: int) -> Optional[int]:
    text = os.pread(fd, 32, 0).decode(errors='replace').strip()
    return int(text) if text.isdigit() else None


def remove_stale_temporaries(folder: str) -> List[str]:
    """Delete the ``.<name>.*.tmp`` files :func:`atomic_write` left in
    ``folder`` when its writer was killed; call it only while holding the
    folder's lock.  Returns their names, sorted."""
    removed = sorted(name for name in os.listdir(folder)
                     if name.startswith('.') and name.endswith('.tmp'))
    for name in removed:
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(folder, name))
    return removed
