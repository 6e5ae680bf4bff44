"""Every bad input gets one line, ``chainvision: error: <what>; <what to
do>``, with exit status 2 for usage errors and 1 for runtime failures;
``--debug`` shows the traceback; a closed pipe ends quietly."""

import subprocess
import sys

import pytest
import torch
from PIL import Image

from chainvision.cli.main import COMMANDS, build_parser, main


@pytest.fixture(autouse=True)
def _keep_threads():
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def _one_line(capsys):
    captured = capsys.readouterr()
    assert captured.err.count('\n') == 1 and 'Traceback' not in captured.err, captured.err
    assert captured.err.startswith('chainvision: error: ')
    return captured.err[len('chainvision: error: '):-1]


@pytest.mark.parametrize('argv, line', [
    (['trian'], "argument COMMAND: invalid choice: 'trian' (choose from "),
    (['train', 'lenet5', '--dataset', 'mnist', '--epochs', '0'],
     'argument --epochs: must be > 0, got 0; see chainvision train --help'),
    (['train', 'lenet5', '--dataset', 'mnist', '--iterations', '0'],
     'argument --iterations: must be >= 1, got 0; see chainvision train --help'),
    (['train', 'lenet5', '--dataset', 'mnist', '--threads', '0'],
     'argument --threads: must be >= 1, got 0; see chainvision train --help'),
    (['train', 'lenet5', '--dataset', 'mnist', '--lr', 'nan'],
     'argument --lr: must be a finite number, got nan; see chainvision train --help'),
    (['train', 'lenet5', '--dataset', 'mnist', '--lr', 'inf'],
     'argument --lr: must be a finite number, got inf; see chainvision train --help'),
    (['train', 'lenet5', '--dataset', 'mnist', '--batch-size', 'many'],
     "argument --batch-size: must be an integer, got 'many'; see chainvision train --help"),
    (['predict', 'run', 'x.png', '--top-k', '0'],
     'argument --top-k: must be >= 1, got 0; see chainvision predict --help'),
    (['show-augment', 'mnist', '--out', 'g.png', '--images', '0'],
     'argument --images: must be >= 1, got 0; see chainvision show-augment --help'),
    (['eval', 'run', '--batch-size', '0'],
     'argument --batch-size: must be >= 1, got 0; see chainvision eval --help'),
    (['eval', 'run', '--precision', 'fp8'],
     "argument --precision: invalid choice: 'fp8' (choose from "),
    (['predict', 'run', 'x.png', '--precision', 'half'],
     "argument --precision: invalid choice: 'half' (choose from "),
    (['train', 'resnt20', '--dataset', 'mnist'],
     "Unknown model 'resnt20'; did you mean: resnet20, "),
    (['train', 'lenet5', '--dataset', 'imagenet'],
     "unknown dataset 'imagenet'; known: cifar10, cifar100, fashion_mnist, mnist"),
    (['train', 'lenet5'], '--dataset is missing; give a MODEL and --dataset (or --resume RUN)'),
    (['train', '--resume'], '--resume needs the run folder; give --resume RUN or --out RUN '
                            '--resume'),
])
def test_usage_errors_exit_2_with_one_line(argv, line, capsys):
    assert main(argv) == 2
    assert _one_line(capsys).startswith(line)


def test_missing_files_exit_1_with_one_line(tmp_path, capsys):
    assert main(['eval', str(tmp_path / 'nope')]) == 1
    assert _one_line(capsys) == ('No checkpoint at {}: pass a run folder (with best.pt) or a '
                                 '.pt, .safetensors or .npz file written by chainvision '
                                 'train'.format(tmp_path / 'nope'))
    assert main(['train', '--resume', str(tmp_path / 'nope')]) == 1
    assert _one_line(capsys) == ('There is no run folder {} to resume; check the path, or start '
                                 'a new run without --resume'.format(tmp_path / 'nope'))


def test_no_weights_says_what_to_pass_instead(tmp_path, capsys):
    # A zoo model's name where trained weights belong.
    assert main(['predict', 'resnet20', str(tmp_path / 'cat.png')]) == 1
    assert _one_line(capsys) == (
        'No checkpoint at resnet20: pass a run folder (with best.pt) or a weight file (a '
        "chainvision checkpoint, a state dict, Chainer npz, a Caffe model); 'resnet20' is a "
        'model of the zoo, not trained weights: train it first (chainvision train resnet20 '
        '--dataset DATA) and pass its run folder')
    # A run folder stopped before its first checkpoint.
    (tmp_path / 'run').mkdir()
    assert main(['eval', str(tmp_path / 'run')]) == 1
    assert _one_line(capsys) == (
        '{0} holds no checkpoint: a run writes best.pt at each validation that improves and '
        'last.pt when it ends; pass a run that got that far, or continue this one with '
        'chainvision train --resume {0}'.format(tmp_path / 'run'))


def test_a_damaged_checkpoint_exits_1_naming_it(tmp_path, capsys):
    (tmp_path / 'best.pt').write_bytes(b'PK\x03\x04 not really a zip')
    assert main(['eval', str(tmp_path)]) == 1
    assert _one_line(capsys) == (
        '{} is truncated or corrupt (it is not a chainvision checkpoint that PyTorch can read); '
        'no other checkpoint is beside it: train the model again'.format(tmp_path / 'best.pt'))


def test_a_file_that_is_not_an_image_exits_1_naming_it(tmp_path, capsys):
    from chainvision import models
    from chainvision.app import checkpoint
    checkpoint.save_checkpoint(str(tmp_path / 'best.pt'), models.create('lenet5'), dict(
        model='lenet5', model_kwargs={}, class_names=[str(i) for i in range(10)],
        image_shape=[1, 28, 28], mean=None, std=None, dataset='mnist'))
    (tmp_path / 'notes.txt').write_text('not an image')
    assert main(['predict', str(tmp_path), str(tmp_path / 'notes.txt'), '--device', 'cpu']) == 1
    assert _one_line(capsys) == (
        "cannot read image {0} (cannot identify image file '{0}'); check that it exists and is a "
        'whole image file (.bmp/.gif/.jpeg/.jpg/.pgm/.png/.ppm/.tif/.tiff/.webp)'.format(
            tmp_path / 'notes.txt'))


def test_an_internal_error_asks_for_the_traceback(monkeypatch, capsys):
    from chainvision.cli import models as models_command
    monkeypatch.setattr(models_command, 'models_table', lambda patterns: [][1])
    assert main(['models']) == 1
    assert _one_line(capsys) == ('internal error (IndexError: list index out of range); run '
                                 'again with --debug to see the traceback, and please report it')


def test_debug_shows_the_traceback(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match='No checkpoint at'):
        main(['eval', str(tmp_path / 'nope'), '--debug'])
    monkeypatch.setenv('CHAINVISION_DEBUG', '1')
    with pytest.raises(FileNotFoundError, match='No checkpoint at'):
        main(['eval', str(tmp_path / 'nope')])


def test_every_command_accepts_threads():
    parser = build_parser()
    required = {'summary': ['resnet20'], 'train': ['lenet5'], 'eval': ['run'],
                'predict': ['run', 'x.png'], 'reproduce': ['he2016-cifar'],
                'show_augment': ['mnist', '--out', 'g.png'], 'export': ['run', '--out', 'm.onnx'],
                'convert': ['w.pth', 'w.safetensors'], 'bench': ['resnet20']}
    for module in COMMANDS:
        command = module.replace('_', '-')
        args = parser.parse_args([command] + required.get(module, []) + ['--threads', '1'])
        assert args.threads == 1, command


def test_threads_applies_to_the_command(capsys):
    assert main(['info', '--threads', '1']) == 0
    assert 'CPU threads      1' in capsys.readouterr().out


def test_a_closed_pipe_ends_quietly():
    # As `chainvision info | head -0`: the reader is gone before the output comes.
    process = subprocess.Popen([sys.executable, '-m', 'chainvision.cli.main', 'info'],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=300) == 141 and stderr == b''


def test_ctrl_c_exits_130_with_the_resume_command(monkeypatch, capsys):
    from chainvision.cli import info as info_command

    def interrupted():
        raise KeyboardInterrupt('Stopped at iteration 7; the snapshot is saved: resume with '
                                'chainvision train --resume runs/x')
    monkeypatch.setattr(info_command, 'info_text', interrupted)
    assert main(['info']) == 130
    assert capsys.readouterr().err == (
        'chainvision: interrupted: Stopped at iteration 7; the snapshot is saved: resume with '
        'chainvision train --resume runs/x\n')


def test_an_image_folder_needs_two_classes(tmp_path, capsys):
    folder = tmp_path / 'pictures'
    (folder / 'only').mkdir(parents=True)
    Image.new('RGB', (8, 8)).save(folder / 'only' / 'a.png')
    assert main(['train', 'lenet5', '--dataset', str(folder), '--iterations', '1',
                 '--out', str(tmp_path / 'run'), '--device', 'cpu']) == 1
    assert _one_line(capsys) == (
        '{} has 1 class folder(s) with images (only); a classifier needs at least two: put the '
        'images into root/<class name>/<image> files'.format(folder))


def test_warnings_are_one_line_each(monkeypatch, capsys):
    import warnings
    from chainvision.cli import info as info_command

    def warns():
        warnings.warn('skipped 2 file(s) in pictures that are not images')
        return 'info'
    monkeypatch.setattr(info_command, 'info_text', warns)
    assert main(['info']) == 0
    assert capsys.readouterr().err == ('chainvision: warning: skipped 2 file(s) in pictures that '
                                       'are not images\n')
