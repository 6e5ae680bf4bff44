"""No run can damage another, and a damaged or unwritable run folder gets
an error that names the file and says what can still be used: the
folder's lock, stale temporaries, a full disk, damaged snapshots,
checkpoints and config.json."""

import errno
import os
import signal
import subprocess
import sys
import warnings

import numpy
import pytest
import torch

import chainvision
from chainvision import models
from chainvision.app import checkpoint as checkpoint_module
from chainvision.app import run_lock
from chainvision.app.evaluate import evaluate
from chainvision.app.run_folder import RunFolderWriteError
from chainvision.serializers import UnreadableFileError

# A few iterations of LeNet-5 on 64 random 28x28 images: seconds.
TINY = dict(iterations=6, batch_size=16, snapshot_interval=2, device='cpu', progress=False,
            tensorboard=False)

pytestmark = pytest.mark.usefixtures('one_cpu_thread')


def _arrays():
    rng = numpy.random.RandomState(0)
    return rng.randint(0, 256, (64, 1, 28, 28)).astype(numpy.uint8), rng.randint(0, 10, 64)


@pytest.fixture
def holder(tmp_path):
    """Another process holding the lock of tmp_path/'run'."""
    out = tmp_path / 'run'
    process = subprocess.Popen(
        [sys.executable, '-c', 'import sys, time\nfrom chainvision.app import run_lock\n'
         'with run_lock.hold(sys.argv[1]):\n    print("held", flush=True)\n    time.sleep(120)',
         str(out)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == 'held'
    yield out, process
    process.kill()
    process.wait()


def test_a_second_run_into_a_folder_in_use_is_refused_naming_the_holder(holder):
    out, process = holder
    with pytest.raises(run_lock.RunFolderBusyError) as info:
        chainvision.fit('lenet5', _arrays(), out=str(out), **TINY)
    assert info.value.pid == process.pid
    assert str(info.value) == ('{} is in use by another chainvision run (process {}); wait for '
                               'it to end, or choose another --out'.format(out, process.pid))
    assert sorted(os.listdir(out)) == ['.lock']   # nothing of the refused run was written


def test_the_lock_dies_with_its_process_even_on_kill_9(holder):
    out, process = holder
    process.send_signal(signal.SIGKILL)
    process.wait()
    with run_lock.hold(str(out)):
        assert open(out / '.lock').read().strip() == str(os.getpid())
    assert not (out / '.lock').exists()   # a run that ends removes its lock file


def test_the_command_line_says_which_process_holds_the_folder(holder):
    out, process = holder
    result = subprocess.run([sys.executable, '-m', 'chainvision.cli.main', 'train', 'lenet5',
                             '--dataset', 'mnist', '--iterations', '1', '--out', str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and result.stdout == ''
    assert result.stderr == ('chainvision: error: {} is in use by another chainvision run '
                             '(process {}); wait for it to end, or choose another --out\n'.format(
                                 out, process.pid))


def test_a_run_refused_before_writing_leaves_no_folder(tmp_path):
    out = tmp_path / 'runs' / 'new'
    with pytest.raises(ValueError, match="unknown dataset 'imagenet'"):
        chainvision.fit('lenet5', 'imagenet', out=str(out), **TINY)
    assert os.listdir(tmp_path / 'runs') == []


def test_only_rank_0_takes_the_lock(tmp_path, monkeypatch):
    monkeypatch.setenv('RANK', '1')
    with run_lock.hold(str(tmp_path / 'run')):
        assert not (tmp_path / 'run').exists()


def test_a_killed_first_snapshot_write_is_cleaned_and_resume_says_start_again(tmp_path):
    out = tmp_path / 'run'
    out.mkdir()
    (out / 'config.json').write_text('{}')
    (out / '.snapshot.k3j2x9.tmp').write_bytes(b'half a snapshot')
    with pytest.warns(UserWarning, match=r'removed 1 unfinished file\(s\) a stopped run left in '
                                         r'.*: \.snapshot\.k3j2x9\.tmp'):
        with pytest.raises(FileNotFoundError, match='Nothing to resume in .*: it has no snapshot '
                                                    r'.*; start again without --resume'):
            chainvision.fit(None, None, out=str(out), resume=True)
    assert sorted(os.listdir(out)) == ['config.json']


def test_resuming_a_folder_that_does_not_exist_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match='There is no run folder .*nope to resume'):
        chainvision.fit(None, None, out=str(tmp_path / 'nope'), resume=True)
    assert not (tmp_path / 'nope').exists()


@pytest.fixture(scope='module')
def finished_run(tmp_path_factory):
    out = tmp_path_factory.mktemp('finished') / 'run'
    chainvision.fit('lenet5', _arrays(), out=str(out), val_split=16, **TINY)
    return out


def test_a_full_disk_names_the_file_and_keeps_the_last_snapshot(tmp_path, monkeypatch):
    out = tmp_path / 'run'
    real_savez = numpy.savez_compressed
    snapshots = []

    def fills_the_disk(file, **arrays):
        snapshots.append(arrays['updater/iteration'].item())
        if len(snapshots) == 2:
            file.write(b'the first bytes')
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_savez(file, **arrays)

    monkeypatch.setattr(numpy, 'savez_compressed', fills_the_disk)
    with pytest.raises(RunFolderWriteError) as info:
        chainvision.fit('lenet5', _arrays(), out=str(out), **TINY)
    snapshot = str(out / 'snapshot')
    assert str(info.value) == (
        'could not write {0} (No space left on device); the last snapshot {0} is intact: free '
        'some space and resume with chainvision train --resume {1}'.format(snapshot, out))
    assert snapshots == [2, 4]
    assert not [name for name in os.listdir(out) if name.endswith('.tmp')]
    monkeypatch.setattr(numpy, 'savez_compressed', real_savez)
    results = chainvision.fit(None, _arrays(), out=str(out), resume=True, progress=False)
    assert results['iterations'] == 6   # resumed from iteration 2, not restarted


def test_a_read_only_run_folder_names_the_file(tmp_path, monkeypatch, capsys):
    from chainvision.cli.main import main
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.path.join(kwargs['dir'], '.x'))

    monkeypatch.setattr(tempfile, 'mkstemp', read_only)
    out = tmp_path / 'run'
    assert main(['train', 'lenet5', '--dataset', 'mnist', '--iterations', '1', '--out', str(out),
                 '--device', 'cpu', '--no-progress']) == 1
    assert capsys.readouterr().err == (
        'chainvision: error: {}: Read-only file system; choose a folder you can write '
        'to\n'.format(out / 'config.json'))


def test_a_read_only_file_system_is_named_before_anything_runs(tmp_path, monkeypatch):
    out = tmp_path / 'run'
    out.mkdir()
    (out / 'snapshot').write_bytes(b'kept')

    def read_only(path, *args):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)

    monkeypatch.setattr(run_lock.os, 'open', read_only)
    with pytest.raises(RunFolderWriteError) as info:
        with run_lock.hold(str(out)):
            pass
    assert str(info.value) == (
        'could not write {0}/.lock (Read-only file system); the last snapshot {0}/snapshot is '
        'intact: make {0} writable (or choose another --out) and resume with chainvision train '
        '--resume {0}'.format(out))


def _damage(path):
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


def test_a_damaged_snapshot_says_no_older_one_is_kept(finished_run, tmp_path):
    out = tmp_path / 'copy'
    out.mkdir()
    for name in ('config.json', 'snapshot', 'best.pt'):
        (out / name).write_bytes((finished_run / name).read_bytes())
    _damage(out / 'snapshot')
    with pytest.raises(UnreadableFileError) as info:
        chainvision.fit(None, _arrays(), out=str(out), resume=True)
    assert str(info.value) == (
        '{} is not an NPZ file, or is truncated; a run keeps no older snapshot, so it cannot be '
        'resumed: start again without --resume (best.pt and last.pt, where present, still hold '
        'trained weights)'.format(out / 'snapshot'))


def test_a_damaged_config_json_names_it(finished_run, tmp_path):
    out = tmp_path / 'copy'
    out.mkdir()
    (out / 'snapshot').write_bytes((finished_run / 'snapshot').read_bytes())
    (out / 'config.json').write_text('{"model": "lenet5", "epo')
    with pytest.raises(UnreadableFileError, match=r'config.json is damaged \(Unterminated string'
                                                  r'.*\); the snapshot beside it cannot be '
                                                  r'resumed .*: restore the file'):
        chainvision.fit(None, None, out=str(out), resume=True)


def test_a_damaged_checkpoint_points_to_the_one_beside_it(finished_run, tmp_path):
    for name in ('best.pt', 'last.pt'):
        (tmp_path / name).write_bytes((finished_run / name).read_bytes())
    _damage(tmp_path / 'best.pt')
    with pytest.raises(UnreadableFileError) as info:
        checkpoint_module.load_checkpoint(str(tmp_path))
    assert str(info.value) == (
        '{} is truncated or corrupt (it is not a chainvision checkpoint that PyTorch can read); '
        'last.pt beside it may still be read: pass that instead'.format(tmp_path / 'best.pt'))
    assert checkpoint_module.load_checkpoint(str(tmp_path / 'last.pt'))['model'] == 'lenet5'


def test_a_checkpoint_that_would_run_code_is_not_loaded(tmp_path):
    class RunsCode:
        def __reduce__(self):
            return (os.mkdir, (str(tmp_path / 'code-ran'),))

    torch.save({'format': checkpoint_module.CHECKPOINT_FORMAT, 'x': RunsCode()},
               tmp_path / 'best.pt')
    with pytest.raises(UnreadableFileError) as info:
        checkpoint_module.load_checkpoint(str(tmp_path))
    assert 'is not a chainvision checkpoint and cannot be loaded safely' in str(info.value)
    assert 'weights_only' not in str(info.value) and not (tmp_path / 'code-ran').exists()


def test_evaluating_on_data_of_another_shape_gives_both_shapes(tmp_path):
    model = models.create('lenet5', in_channels=3)
    checkpoint_module.save_checkpoint(str(tmp_path / 'best.pt'), model, dict(
        model='lenet5', model_kwargs={}, class_names=[str(i) for i in range(10)],
        image_shape=[3, 32, 32], mean=None, std=None, dataset='cifar10'))
    with pytest.raises(ValueError) as info:
        evaluate(str(tmp_path), 'mnist', device='cpu')
    assert str(info.value) == ('the model takes 3x32x32 images (it was trained on cifar10), but '
                               'mnist test has 1x28x28 images; evaluate it on a dataset of '
                               '3x32x32 images')


def test_an_image_folder_of_any_size_and_colour_trains_lenet5(tmp_path):
    from PIL import Image
    rng = numpy.random.RandomState(0)
    for label in ('cat', 'dog'):
        (tmp_path / label).mkdir()
        for i in range(6):
            size = (40 + 7 * i, 30 + 5 * i)  # every image another size, all RGB
            Image.fromarray(rng.randint(0, 256, size[::-1] + (3,)).astype(numpy.uint8)).save(
                tmp_path / label / '{}.jpg'.format(i))
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter('always')
        results = chainvision.fit('lenet5', str(tmp_path), out=str(tmp_path / 'run'),
                                  iterations=2, batch_size=4, device='cpu', progress=False,
                                  tensorboard=False)
    assert results['iterations'] == 2
    said = [str(w.message) for w in record if 'resized' in str(w.message)]
    assert said == ['resized 12 of 12 images of {} to 28x28 (shorter side, then centre crop; '
                    'bilinear, antialiased)'.format(tmp_path)]
    saved = checkpoint_module.load_checkpoint(str(tmp_path / 'run' / 'last.pt'))
    assert saved['image_shape'] == [1, 28, 28] and saved['class_names'] == ['cat', 'dog']
