"""Extract Chainer 7.8.1's example programs and unit tests into ``third_party/chainer/``.

    python tools/fetch_chainer_sources.py SOURCE [--ref v7.8.1] [--dest third_party/chainer]

``SOURCE`` is one of

- a git clone of https://github.com/chainer/chainer (bare or not): the files are
  taken from ``--ref`` (default ``v7.8.1``) with ``git archive``;
- GitHub's source archive of that tag (``chainer-7.8.1.tar.gz`` from
  https://github.com/chainer/chainer/archive/refs/tags/v7.8.1.tar.gz);
- an unpacked checkout folder.

(The PyPI sdist holds neither the examples nor the tests.)  Only
``examples/`` and ``tests/chainer_tests/`` are extracted.  The destination is
git-ignored: this is Chainer's code (MIT licence, its ``LICENSE`` is copied
beside it) and chainvision does not redistribute it.  ``SOURCE.txt`` in the
destination records where the files came from; ``tools/run_chainer_tests.py``,
``tools/run_chainer_examples.py`` and the tests that use them read the folder.
"""

import argparse
import io
import pathlib
import shutil
import subprocess
import sys
import tarfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_DEST = ROOT / 'third_party' / 'chainer'
WANTED = ('examples/', 'tests/chainer_tests/', 'LICENSE')


def _wanted(relative):
    return any(relative == w or relative.startswith(w) for w in WANTED)


def _extract_tar(tar, dest, strip_first):
    """Write the wanted members of ``tar`` under ``dest``; GitHub's archives
    put everything under one top folder (``strip_first``)."""
    count = 0
    for member in tar.getmembers():
        if not member.isfile():
            continue
        relative = member.name.split('/', 1)[1] if strip_first else member.name
        if not _wanted(relative):
            continue
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(tar.extractfile(member).read())
        count += 1
    return count


def _from_git(git_dir, ref, dest):
    commit = subprocess.run(['git', '--git-dir', str(git_dir), 'rev-parse', ref + '^{commit}'],
                            check=True, capture_output=True, text=True).stdout.strip()
    archive = subprocess.run(['git', '--git-dir', str(git_dir), 'archive', '--format=tar', commit,
                              'examples', 'tests/chainer_tests', 'LICENSE'],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        count = _extract_tar(tar, dest, strip_first=False)
    return count, 'git {} {} ({})'.format(git_dir, ref, commit)


def _from_folder(folder, dest):
    count = 0
    for path in sorted(folder.rglob('*')):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and _wanted(relative):
            target = dest / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            count += 1
    return count, 'folder {}'.format(folder)


def _git_dir(source):
    for candidate in (source / '.git', source):
        if (candidate / 'HEAD').is_file() and (candidate / 'objects').is_dir():
            return candidate
    return None


def extract(source, ref='v7.8.1', dest=DEFAULT_DEST):
    """Replace ``dest`` by the examples and tests of ``source``.

    Returns:
        int: the number of files written.
    """
    source, dest = pathlib.Path(source), pathlib.Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    git_dir = _git_dir(source) if source.is_dir() else None
    if git_dir is not None:
        count, origin = _from_git(git_dir, ref, dest)
    elif source.is_dir():
        count, origin = _from_folder(source, dest)
    else:
        with tarfile.open(source) as tar:
            count = _extract_tar(tar, dest, strip_first=True)
        origin = 'archive {}'.format(source)
    if not (dest / 'examples').is_dir() or not (dest / 'tests' / 'chainer_tests').is_dir():
        raise SystemExit('{} holds no examples/ and tests/chainer_tests/: is it Chainer\'s '
                         'repository or GitHub\'s source archive?'.format(source))
    (dest / 'SOURCE.txt').write_text(origin + '\n')
    return count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('source', type=pathlib.Path)
    parser.add_argument('--ref', default='v7.8.1', help='tag or commit (git sources only)')
    parser.add_argument('--dest', type=pathlib.Path, default=DEFAULT_DEST)
    args = parser.parse_args(argv)
    count = extract(args.source, args.ref, args.dest)
    print('{} files from {} in {}'.format(count, args.source, args.dest))


if __name__ == '__main__':
    sys.exit(main())
