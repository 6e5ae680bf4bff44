import chainvision
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


def test_no_command_prints_help(capsys):
    assert main([]) == 0
    assert 'train' in capsys.readouterr().out
