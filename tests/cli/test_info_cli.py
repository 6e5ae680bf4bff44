import chainvision
from chainvision import native
from chainvision.cli.main import main


def test_version(capsys):
    try:
        main(['--version'])
    except SystemExit as stop:
        assert stop.code == 0
    assert capsys.readouterr().out.strip() == 'chainvision {}'.format(chainvision.__version__)


def test_info_prints_versions_devices_and_the_dataset_root(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv('CHAINVISION_DATASET_ROOT', str(tmp_path))
    assert main(['info']) == 0
    out = capsys.readouterr().out
    assert 'PyTorch' in out and 'CUDA available' in out
    assert 'Dataset root     {} ($CHAINVISION_DATASET_ROOT)'.format(tmp_path) in out
    reason = native.unavailable_reason('batch_norm')
    assert ('Native kernels   in use (BatchNorm-add-ReLU, max pooling of few channels)'
            if reason is None else 'Native kernels   not used: ' + reason) in out


def test_info_says_why_the_native_kernels_are_not_used(capsys, monkeypatch):
    monkeypatch.setenv('CHAINVISION_NATIVE', '0')
    native._load.cache_clear()
    try:
        assert main(['info']) == 0
    finally:
        native._load.cache_clear()
    assert 'Native kernels   not used: switched off by CHAINVISION_NATIVE=0' in (
        capsys.readouterr().out)


def test_no_command_prints_help(capsys):
    assert main([]) == 0
    assert 'train' in capsys.readouterr().out


def test_info_names_the_kernels_in_use_and_why_the_others_are_not(capsys, monkeypatch):
    reasons = {'batch_norm': None, 'max_pooling': 'building max_pooling.c failed: cc exited with 1'}
    monkeypatch.setattr(native, 'unavailable_reason', reasons.get)
    assert main(['info']) == 0
    assert ('Native kernels   in use (BatchNorm-add-ReLU); not used: building max_pooling.c '
            'failed: cc exited with 1') in capsys.readouterr().out
