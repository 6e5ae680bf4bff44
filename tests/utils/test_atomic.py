import os

import pytest

from chainvision.utils.atomic import atomic_write


def test_atomic_write_replaces_the_file(tmp_path):
    path = tmp_path / 'sub' / 'log.json'
    with atomic_write(path, 'w') as f:
        f.write('first')
    with atomic_write(path, 'w') as f:
        f.write('second')
    assert path.read_text() == 'second'
    assert os.listdir(path.parent) == ['log.json']


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / 'ckpt.bin'
    path.write_bytes(b'old')
    with pytest.raises(RuntimeError):
        with atomic_write(path) as f:
            f.write(b'half')
            raise RuntimeError('killed mid-write')
    assert path.read_bytes() == b'old'
    assert os.listdir(tmp_path) == ['ckpt.bin']


def test_atomic_write_gives_the_permissions_of_a_plain_open(tmp_path):
    plain = tmp_path / 'plain.txt'
    plain.write_text('x')
    path = tmp_path / 'atomic.txt'
    with atomic_write(path, 'w') as f:
        f.write('x')
    assert os.stat(path).st_mode & 0o777 == os.stat(plain).st_mode & 0o777
