"""Checksums, downloads and the errors a user sees for missing or damaged files."""

import functools
import hashlib
import json
import http.server
import os
import pickle
import shutil
import threading
import time

import numpy
import pytest

from chainvision import datasets
from chainvision.datasets import _files

SHARED = datasets.get_dataset_root()
MNIST_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz',
               't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']


@pytest.fixture
def private_root(tmp_path, monkeypatch):
    """A writable dataset root and an empty cache, both under tmp_path."""
    root = tmp_path / 'root'
    root.mkdir()
    monkeypatch.setenv('CHAINVISION_DATASET_ROOT', str(root))
    monkeypatch.setenv('CHAINVISION_CACHE_DIR', str(tmp_path / 'cache'))
    return root


def _link_mnist(root, skip=()):
    (root / 'mnist').mkdir()
    for name in MNIST_FILES:
        if name not in skip:
            os.symlink(os.path.join(SHARED, 'mnist', name), root / 'mnist' / name)


def test_wrong_md5_names_file_checksum_address_and_folder(private_root):
    _link_mnist(private_root, skip=['t10k-labels-idx1-ubyte.gz'])
    with open(os.path.join(SHARED, 'mnist', 't10k-labels-idx1-ubyte.gz'), 'rb') as f:
        damaged = bytearray(f.read())
    damaged[-1] ^= 0xFF
    (private_root / 'mnist' / 't10k-labels-idx1-ubyte.gz').write_bytes(bytes(damaged))
    with pytest.raises(datasets.DatasetFileError) as info:
        datasets.load_arrays('mnist', 'test')
    message = str(info.value)
    assert 'checksum mismatch' in message and 't10k-labels-idx1-ubyte.gz' in message
    assert 'ec29112dd5afa0611ce80d1b7f02629c' in message  # the official md5
    assert 'http' in message and str(private_root / 'mnist') in message


def test_missing_file_offline_fails_fast_with_instructions(private_root, offline):
    _link_mnist(private_root, skip=['t10k-images-idx3-ubyte.gz'])
    start = time.monotonic()
    with pytest.raises(datasets.DatasetFileError) as info:
        datasets.load_arrays('mnist', 'test')
    assert time.monotonic() - start < 3
    message = str(info.value)
    assert 'network is unreachable' in message and 't10k-images-idx3-ubyte.gz' in message
    assert '9fb629c4189551a2d022fa330f9573f3' in message
    assert 'https://ossci-datasets.s3.amazonaws.com/mnist/t10k-images-idx3-ubyte.gz' in message
    assert 'put the file into: {}'.format(private_root / 'mnist') in message


def test_reachability_check_gives_up_quickly_on_an_unroutable_address():
    start = time.monotonic()
    # 192.0.2.0/24 is reserved for documentation: nothing answers there.
    assert not _files.network_reachable('http://192.0.2.1:9/', timeout=0.5)
    assert time.monotonic() - start < 2


@pytest.fixture
def http_folder(tmp_path):
    """A local HTTP server (never the internet) serving tmp_path/'served'."""
    served = tmp_path / 'served'
    served.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield served, 'http://127.0.0.1:{}/'.format(server.server_address[1])
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_download_writes_the_verified_file_atomically(private_root, http_folder):
    served, url = http_folder
    payload = os.urandom(100000)
    (served / 'blob.bin').write_bytes(payload)
    md5 = hashlib.md5(payload).hexdigest()
    path = _files.ensure_file('toy', 'blob.bin', [url + 'blob.bin'], md5)
    assert path == str(private_root / 'toy' / 'blob.bin')
    assert open(path, 'rb').read() == payload
    assert os.listdir(private_root / 'toy') == ['blob.bin']  # no temporary left behind


def test_download_with_wrong_checksum_leaves_nothing(private_root, http_folder):
    served, url = http_folder
    (served / 'blob.bin').write_bytes(b'not the official bytes')
    with pytest.raises(datasets.DatasetFileError, match='download failed.*md5'):
        _files.ensure_file('toy', 'blob.bin', [url + 'blob.bin'], '0' * 32)
    assert os.listdir(private_root / 'toy') == []


def test_download_goes_to_the_cache_when_the_root_is_read_only(tmp_path, monkeypatch, http_folder):
    served, url = http_folder
    (served / 'blob.bin').write_bytes(b'payload')
    root = tmp_path / 'readonly'
    (root / 'toy').mkdir(parents=True)
    os.chmod(root / 'toy', 0o555)
    monkeypatch.setenv('CHAINVISION_DATASET_ROOT', str(root))
    monkeypatch.setenv('CHAINVISION_CACHE_DIR', str(tmp_path / 'cache'))
    md5 = hashlib.md5(b'payload').hexdigest()
    path = _files.ensure_file('toy', 'blob.bin', [url + 'blob.bin'], md5)
    assert path == str(tmp_path / 'cache' / 'datasets' / 'toy' / 'blob.bin')
    assert _files.locate('toy', 'blob.bin') == path


def _cifar_root(root):
    folder = root / 'cifar10' / 'cifar-10-batches-py'
    folder.mkdir(parents=True)
    source = os.path.join(SHARED, 'cifar10', 'cifar-10-batches-py')
    for name in os.listdir(source):
        os.symlink(os.path.join(source, name), folder / name)
    return folder


def test_cifar_batch_with_changed_pixels_fails_its_content_checksum(private_root):
    folder = _cifar_root(private_root)
    os.remove(folder / 'test_batch')
    with open(os.path.join(SHARED, 'cifar10', 'cifar-10-batches-py', 'test_batch'), 'rb') as f:
        batch = pickle.load(f, encoding='latin1')
    batch['data'] = batch['data'].copy()
    batch['data'][0, 0] ^= 1
    with open(folder / 'test_batch', 'wb') as f:
        pickle.dump(batch, f, protocol=2)
    with pytest.raises(datasets.DatasetFileError) as info:
        datasets.load_arrays('cifar10', 'test')
    message = str(info.value)
    assert 'test_batch' in message and 'checksum mismatch' in message
    assert '9a4c74f5c8b6f2c4e13d3a1dfb43a5a8cda8a9da515e99fd620d2013a1a6287a' in message
    assert 'cifar-10-python.tar.gz' in message


def test_cifar_batch_that_is_not_a_pickle_gets_a_clear_error(private_root):
    folder = _cifar_root(private_root)
    os.remove(folder / 'test_batch')
    (folder / 'test_batch').write_bytes(b'<html>404 not found</html>')
    with pytest.raises(datasets.DatasetFileError, match='test_batch is not a CIFAR batch'):
        datasets.load_arrays('cifar10', 'test')


def test_cifar_pickle_that_would_run_code_is_refused(private_root):
    folder = _cifar_root(private_root)
    os.remove(folder / 'test_batch')
    with open(folder / 'test_batch', 'wb') as f:
        pickle.dump({'data': _RunsCode()}, f, protocol=2)
    with pytest.raises(datasets.DatasetFileError, match='refusing to load'):
        datasets.load_arrays('cifar10', 'test')


class _RunsCode:
    def __reduce__(self):
        return (shutil.rmtree, ('/nonexistent-chainvision-test',))


def test_missing_cifar_without_network_names_the_archive(private_root, offline):
    with pytest.raises(datasets.DatasetFileError) as info:
        datasets.get_cifar100()
    message = str(info.value)
    assert 'cifar-100-python.tar.gz' in message and 'eb9058c3a382ffc7106e4002c42a8d85' in message
    assert 'https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz' in message
    assert 'unpacked cifar-100-python folder' in message


def test_compute_mean_std_is_exact():
    images = numpy.random.RandomState(0).randint(0, 256, (7, 2, 5, 3)).astype(numpy.uint8)
    mean, std = datasets.compute_mean_std(images)
    scaled = images.astype(numpy.float64) / 255.
    numpy.testing.assert_allclose(mean, scaled.mean(axis=(0, 2, 3)), rtol=1e-12)
    numpy.testing.assert_allclose(std, scaled.std(axis=(0, 2, 3)), rtol=1e-12)


def _fake_cifar100_batch(n, seed):
    rng = numpy.random.RandomState(seed)
    return {'data': rng.randint(0, 256, (n, 3072)).astype(numpy.uint8),
            'fine_labels': rng.randint(0, 100, n).tolist(), 'coarse_labels': [0] * n}


def test_cifar100_is_unpacked_from_its_archive_and_verified(private_root, monkeypatch, offline):
    # A stand-in archive with the real layout (the real one is not staged):
    # only the checksums differ, so they are patched to the stand-ins'.
    import io
    import tarfile
    from chainvision.datasets import cifar
    folder = private_root / 'cifar100'
    folder.mkdir()
    members, md5s = {}, {}
    for split, n in (('train', 5), ('test', 3)):
        members[split] = pickle.dumps(_fake_cifar100_batch(n, n), protocol=2)
        md5s[split] = hashlib.md5(members[split]).hexdigest()
    with tarfile.open(folder / 'cifar-100-python.tar.gz', 'w:gz') as tar:
        for split, payload in members.items():
            info = tarfile.TarInfo('cifar-100-python/' + split)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    archive_md5 = _files.file_digest(str(folder / 'cifar-100-python.tar.gz'))
    monkeypatch.setattr(cifar, '_CIFAR100_MD5', md5s)
    monkeypatch.setitem(cifar._ARCHIVES, 'cifar100', ('cifar-100-python.tar.gz', archive_md5))
    train, test = datasets.get_cifar100()
    assert len(train) == 5 and len(test) == 3
    x, t = train[0]
    expected = _fake_cifar100_batch(5, 5)
    assert x.shape == (3, 32, 32) and t == expected['fine_labels'][0]
    numpy.testing.assert_allclose(x.reshape(-1) * 255, expected['data'][0], rtol=1e-6)
    assert (folder / 'cifar-100-python' / 'test').is_file()
    assert datasets.get_info('cifar100').num_classes == 100


def test_an_archive_whose_member_is_a_folder_is_refused(private_root, monkeypatch, offline):
    import tarfile
    from chainvision.datasets import cifar
    folder = private_root / 'cifar100'
    folder.mkdir()
    with tarfile.open(folder / 'cifar-100-python.tar.gz', 'w:gz') as tar:
        info = tarfile.TarInfo('cifar-100-python/train')
        info.type = tarfile.DIRTYPE
        tar.addfile(info)
    archive_md5 = _files.file_digest(str(folder / 'cifar-100-python.tar.gz'))
    monkeypatch.setitem(cifar._ARCHIVES, 'cifar100', ('cifar-100-python.tar.gz', archive_md5))
    with pytest.raises(datasets.DatasetFileError,
                       match='cifar-100-python/train in .*cifar-100-python.tar.gz is not a file'):
        datasets.get_cifar100()


def _mnist_test_cache(private_root):
    from chainvision.datasets import _array_cache
    _link_mnist(private_root)
    images, labels = datasets.load_arrays('mnist', 'test')
    folder = _files.arrays_cache_folder('mnist')
    return (numpy.array(images), numpy.array(labels), os.path.join(folder, 'test-images.npy'),
            os.path.join(folder, 'test-labels.npy'), _array_cache)


def test_an_edited_cached_label_file_is_rebuilt_from_the_originals(private_root):
    images, labels, _, labels_path, _ = _mnist_test_cache(private_root)
    edited = numpy.load(labels_path)
    edited[:2000] = (edited[:2000] + 1) % 10  # same size, wrong labels
    numpy.save(labels_path, edited)
    with pytest.warns(UserWarning, match='rebuilding the cached arrays of mnist test from the '
                                         'originals: .*test-labels.npy changed'):
        _, reloaded = datasets.load_arrays('mnist', 'test')
    numpy.testing.assert_array_equal(reloaded, labels)


def test_a_truncated_cache_file_is_rebuilt(private_root):
    images, _, images_path, _, _ = _mnist_test_cache(private_root)
    with open(images_path, 'r+b') as f:
        f.truncate(os.path.getsize(images_path) - 784)
    with pytest.warns(UserWarning, match='test-images.npy has 7839344 bytes, 7840128 when'):
        reloaded, _ = datasets.load_arrays('mnist', 'test')
    numpy.testing.assert_array_equal(reloaded, images)


def test_a_change_between_sampled_blocks_needs_verify(private_root, monkeypatch):
    images, _, images_path, _, cache = _mnist_test_cache(private_root)
    monkeypatch.setattr(cache, 'FULL_HASH_BYTES', 1 << 20)  # sample the 7.8 MB file
    os.remove(images_path)
    with pytest.warns(UserWarning, match='test-images.npy is missing'):
        datasets.load_arrays('mnist', 'test')  # rebuilt, recorded with the sampled digest
    # Between the first sampled block and the second (about 122 KiB apart).
    offset = cache.BLOCK_BYTES + 1000
    with open(images_path, 'r+b') as f:
        f.seek(offset)
        f.write(bytes([f.read(1)[0] ^ 0xFF]))
    quick, _ = datasets.load_arrays('mnist', 'test')  # the cheap check misses it
    assert not numpy.array_equal(quick, images)
    with pytest.warns(UserWarning, match='test-images.npy changed since it was made .*sha256'):
        verified, _ = datasets.load_arrays('mnist', 'test', verify=True)
    numpy.testing.assert_array_equal(verified, images)


def test_a_cache_without_its_record_is_rebuilt(private_root):
    _, labels, _, labels_path, _ = _mnist_test_cache(private_root)
    os.remove(os.path.join(os.path.dirname(labels_path), 'test-arrays.json'))
    with pytest.warns(UserWarning, match='test-arrays.json is missing or unreadable'):
        _, reloaded = datasets.load_arrays('mnist', 'test')
    numpy.testing.assert_array_equal(reloaded, labels)
    assert json.load(open(os.path.join(os.path.dirname(labels_path), 'test-arrays.json')))[
        'sources'] == {'t10k-images-idx3-ubyte.gz': '9fb629c4189551a2d022fa330f9573f3',
                       't10k-labels-idx1-ubyte.gz': 'ec29112dd5afa0611ce80d1b7f02629c'}


def test_a_sound_cache_loads_without_a_warning(private_root, recwarn):
    _, labels, _, _, _ = _mnist_test_cache(private_root)
    _, reloaded = datasets.load_arrays('mnist', 'test', verify=True)
    numpy.testing.assert_array_equal(reloaded, labels)
    assert not [w for w in recwarn if 'rebuilding' in str(w.message)]
