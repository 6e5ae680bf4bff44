"""Atomic file writes: nothing is ever half-written.

Every checkpoint, log and cache file chainvision writes goes through
:func:`atomic_write`: the data goes to a temporary file in the same folder,
is flushed and fsync'ed, and then renamed over the destination (a rename is
atomic on POSIX and Windows), so a crash leaves either the old file or the
new one, never a torn one.
"""

import contextlib
import os
import tempfile


@contextlib.contextmanager
def atomic_write(path, mode='wb'):
    """Open a temporary file that replaces ``path`` when the block exits
    without an exception (and is deleted if it raises).  An ``OSError`` of
    the write itself (a full disk, a read-only folder) names ``path``.

    >>> import tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), 'log.json')
    >>> with atomic_write(path, 'w') as f:
    ...     _ = f.write('{}')
    >>> open(path).read(), os.listdir(os.path.dirname(path))
    ('{}', ['log.json'])
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    try:
        fd, tmp_path = tempfile.mkstemp(prefix='.' + os.path.basename(path) + '.',
                                        suffix='.tmp', dir=folder)
    except OSError as error:
        raise _naming(error, path) from error
    try:
        # mkstemp creates the file private (0600); give it the permissions a
        # plain open() would, so a shared run folder or cache stays readable.
        os.chmod(tmp_path, 0o666 & ~_UMASK)
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_path, path)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp_path)
        if isinstance(error, OSError) and error.errno and error.filename is None:
            raise _naming(error, path) from error
        raise
    _fsync_folder(folder)


def _naming(error, path):
    # A full disk or a read-only folder fails the write with no file name,
    # or names the temporary file: the error names the file being written.
    # OSError(errno, ...) becomes the matching subclass (PermissionError...).
    return OSError(error.errno, error.strerror, path)


def _read_umask():
    # os.umask can only be read by setting it: done once, at import time.
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def _fsync_folder(folder):
    # Make the rename itself durable (not possible on every platform).
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
