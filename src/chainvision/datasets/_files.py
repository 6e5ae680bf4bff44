"""Finding, verifying, downloading and caching dataset files.

Originals live under the dataset root (:func:`get_dataset_root`), one folder
per dataset.  A missing original is downloaded from its official address
when the network answers within a few seconds; otherwise, and on a checksum
mismatch, :class:`DatasetFileError` says which file, from where, with which
checksum and into which folder.  Decoded arrays are cached as ``.npy`` beside
the originals, or under ``$CHAINVISION_CACHE_DIR`` (default
``~/.cache/chainvision``) when the root's folder is read-only (see
:mod:`~chainvision.datasets._array_cache`).
"""

import hashlib
import os
import socket
import urllib.parse
import urllib.request

from chainvision.dataset.download import get_dataset_root
from chainvision.utils.atomic import atomic_write
from chainvision.utils.cache_dir import get_cache_dir

# Seconds to wait for the network before declaring it unreachable: a
# machine without internet must fail fast, not hang.
NETWORK_TIMEOUT = 3.0


class DatasetFileError(RuntimeError):
    """A dataset file is missing, unreadable or fails its checksum."""


def file_digest(path, algorithm='md5'):
    """Hex digest of a file's bytes."""
    digest = hashlib.new(algorithm)
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def is_writable_dir(path):
    """Whether ``path`` is a folder we may write into.

    The permission bits count even for root (who could write anyway), so a
    folder marked read-only, like a shared data copy, is never written to.
    """
    return (os.path.isdir(path) and os.stat(path).st_mode & 0o200 != 0
            and os.access(path, os.W_OK))


def network_reachable(url, timeout=NETWORK_TIMEOUT):
    """Whether ``url``'s host accepts a TCP connection within ``timeout``
    seconds.  ``CHAINVISION_OFFLINE=1`` answers ``False`` without trying."""
    if os.environ.get('CHAINVISION_OFFLINE', '') not in ('', '0'):
        return False
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == 'https' else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return True
    except OSError:
        return False


def _missing_message(path, urls, md5, reason, alternative=''):
    return ('{}: {}\n  expected md5: {}\n  official address: {}\n'
            '  put the file into: {}{}\n  (or set $CHAINVISION_DATASET_ROOT to the folder that '
            'holds it)'.format(reason, os.path.basename(path), md5, ' or '.join(urls),
                               os.path.dirname(path), alternative))


def _download(url, path, md5):
    from tqdm.auto import tqdm
    digest = hashlib.md5()
    with atomic_write(path) as f, urllib.request.urlopen(url, timeout=30) as response:
        total = int(response.headers.get('Content-Length') or 0) or None
        with tqdm(total=total, unit='B', unit_scale=True,
                  desc='Downloading ' + os.path.basename(path)) as bar:
            for block in iter(lambda: response.read(1 << 16), b''):
                f.write(block)
                digest.update(block)
                bar.update(len(block))
        # Raising inside the block deletes the temporary file.
        if digest.hexdigest() != md5:
            raise DatasetFileError(_missing_message(
                path, [url], md5,
                'downloaded file has md5 {}, not the official one'.format(digest.hexdigest())))


def _candidate_folders(folder):
    """Where an original may be: under the dataset root, then under the
    cache's ``datasets`` folder (where downloads go when the root is
    read-only)."""
    return [os.path.join(get_dataset_root(), folder),
            os.path.join(get_cache_dir(), 'datasets', folder)]


def locate(folder, filename):
    """Path of ``folder/filename`` under the dataset root or the cache, or
    ``None`` when it is in neither."""
    for candidate in _candidate_folders(folder):
        path = os.path.join(candidate, filename)
        if os.path.isfile(path):
            return path
    return None


def _download_folder(folder):
    root_folder, cache_folder = _candidate_folders(folder)
    root = get_dataset_root()
    # Download beside the other originals unless the root is read-only.
    if is_writable_dir(root_folder) or (not os.path.exists(root_folder) and
                                        (not os.path.exists(root) or is_writable_dir(root))):
        return root_folder
    return cache_folder


def ensure_file(folder, filename, urls, md5, verify=True, alternative=''):
    """Return the path of an original file, downloading it if needed.

    Args:
        folder (str): the dataset's folder under the root, e.g. ``'mnist'``.
        filename (str): the file's name.
        urls (list of str): official addresses, tried in order.
        md5 (str): the official md5 (checked on the existing file when
            ``verify``, and always on a download).
        alternative (str): appended to the "put the file into" line of a
            missing file's message (e.g. that an unpacked copy also works).

    Raises:
        DatasetFileError: missing with no network, download failure, or a
            checksum mismatch; the message names the file, the address, the
            md5 and the folder to put the file in.
    """
    path = locate(folder, filename)
    if path is not None:
        if verify:
            actual = file_digest(path)
            if actual != md5:
                raise DatasetFileError(_missing_message(
                    path, urls, md5, 'checksum mismatch (md5 {}) for'.format(actual)))
        return path
    path = os.path.join(_download_folder(folder), filename)
    if not network_reachable(urls[0]):
        raise DatasetFileError(_missing_message(
            path, urls, md5, 'missing dataset file, and the network is unreachable', alternative))
    errors = []
    for url in urls:
        try:
            _download(url, path, md5)
            return path
        except (OSError, DatasetFileError) as error:
            errors.append('{}: {}'.format(url, error))
    raise DatasetFileError(_missing_message(
        path, urls, md5, 'download failed ({})'.format('; '.join(errors))))


def arrays_cache_folder(folder):
    """Where decoded arrays of ``folder`` are cached: beside the originals
    when that folder is writable, else under the cache dir's ``arrays``."""
    original = os.path.join(get_dataset_root(), folder)
    if is_writable_dir(original):
        return original
    return os.path.join(get_cache_dir(), 'arrays', folder)

