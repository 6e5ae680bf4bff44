"""A temporary directory as a context manager (Chainer's ``utils.tempdir``)."""

import contextlib
import shutil
import tempfile


@contextlib.contextmanager
def tempdir(**kwargs):
    """Create a directory with ``tempfile.mkdtemp(**kwargs)``, yield its
    path, and remove it with its contents on exit, even after an error.

    >>> import os
    >>> with tempdir() as path:
    ...     os.path.isdir(path)
    True
    """
    path = tempfile.mkdtemp(**kwargs)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
