"""utils.tempdir: a directory removed with its contents on exit."""

import os

import pytest

from chainvision import utils


def test_tempdir_is_removed_even_after_an_error(tmp_path):
    with utils.tempdir(dir=str(tmp_path), prefix='x') as path:
        open(os.path.join(path, 'f'), 'w').close()
        assert os.path.basename(path).startswith('x')
    assert not os.path.exists(path)
    with pytest.raises(RuntimeError):
        with utils.tempdir() as path:
            raise RuntimeError
    assert not os.path.exists(path)
