"""chainvision.fit end to end on real data: the run folder's files read
back, reproducibility, recipes, and the errors a user can meet."""

import csv
import json
import os

import numpy
import pytest
import torch

import chainvision
import chainvision.links as L
from chainvision import backend, datasets, models
from chainvision.app import checkpoint as checkpoint_module
from chainvision.app import recipes
from chainvision.app.options import resolve
from chainvision.training.updaters.fit_updater import NonFiniteLossError

# fp32 pinned: the figures below must not depend on the machine's default precision.
MNIST_RUN = dict(iterations=90, batch_size=64, log_interval=30, val_split=1000, seed=1,
                 device='cpu', progress=False, precision='fp32')


pytestmark = pytest.mark.usefixtures('one_cpu_thread')


@pytest.fixture(scope='module')
def mnist_run(tmp_path_factory):
    out = tmp_path_factory.mktemp('mnist')
    return chainvision.fit('lenet5', 'mnist', out=str(out), **MNIST_RUN)


def test_fit_on_mnist_learns_and_reports_accuracies(mnist_run):
    assert mnist_run['iterations'] == 90
    # 90 Adam steps (a tenth of an epoch) take the sigmoid LeNet-5 far above chance (10 %).
    assert mnist_run['test_accuracy'] > 0.6
    assert mnist_run['val_accuracy'] > 0.6
    assert mnist_run['best_test_accuracy'] > 0.6
    with open(os.path.join(mnist_run['out'], 'results.json')) as f:
        assert json.load(f)['test_accuracy'] == mnist_run['test_accuracy']


def test_run_folder_holds_the_resolved_config(mnist_run):
    with open(os.path.join(mnist_run['out'], 'config.json')) as f:
        config = json.load(f)
    # lenet5's MNIST defaults, with the explicit options on top.
    assert config['optimizer'] == 'adam' and config['schedule'] == 'one-cycle'
    assert config['iterations'] == 90 and config['epochs'] is None
    assert config['model'] == 'lenet5' and config['dataset'] == 'mnist'
    files = set(os.listdir(mnist_run['out']))
    assert {'config.json', 'log.jsonl', 'log.csv', 'best.pt', 'last.pt', 'snapshot',
            'results.json'} <= files
    assert not any(name.startswith('.') or name == 'log' for name in files)  # no leftovers


def test_jsonl_and_csv_logs_hold_the_same_entries(mnist_run):
    out = mnist_run['out']
    with open(os.path.join(out, 'log.jsonl')) as f:
        entries = [json.loads(line) for line in f]
    with open(os.path.join(out, 'log.csv')) as f:
        rows = list(csv.DictReader(f))
    assert [e['iteration'] for e in entries] == [30, 60, 90]
    assert len(rows) == 3
    for entry, row in zip(entries, rows):
        for key in ('main/loss', 'validation/main/accuracy', 'lr'):
            assert float(row[key]) == pytest.approx(entry[key])
    # The loss falls; the one-cycle lr rises then falls.
    assert entries[-1]['main/loss'] < entries[0]['main/loss']
    assert entries[0]['lr'] > entries[-1]['lr']


def test_tensorboard_events_read_back_with_tensorboards_reader(mnist_run):
    pytest.importorskip('tensorboard')
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    events = EventAccumulator(os.path.join(mnist_run['out'], 'tensorboard'))
    events.Reload()
    with open(os.path.join(mnist_run['out'], 'log.jsonl')) as f:
        entries = [json.loads(line) for line in f]
    scalars = events.Scalars('validation/main/accuracy')
    assert [s.step for s in scalars] == [30, 60, 90]
    assert [s.value for s in scalars] == pytest.approx(
        [e['validation/main/accuracy'] for e in entries])


def test_plots_are_png_images(mnist_run):
    pytest.importorskip('matplotlib')
    from PIL import Image
    for name in ('loss.png', 'accuracy.png', 'lr.png'):
        with Image.open(os.path.join(mnist_run['out'], name)) as image:
            assert image.format == 'PNG' and image.size[0] > 100


def test_best_checkpoint_loads_with_weights_only_and_rebuilds_the_model(mnist_run):
    checkpoint = checkpoint_module.load_checkpoint(mnist_run['out'])
    assert checkpoint['val_accuracy'] == pytest.approx(mnist_run['best_val_accuracy'])
    assert checkpoint['class_names'] == [str(i) for i in range(10)]
    model = checkpoint_module.model_from_checkpoint(checkpoint)
    assert isinstance(model, chainvision.models.LeNet5)


def test_same_seed_gives_the_same_loss_curve(tmp_path, mnist_run):
    again = chainvision.fit('lenet5', 'mnist', out=str(tmp_path / 'again'), **MNIST_RUN)
    curves = []
    for out in (mnist_run['out'], again['out']):
        with open(os.path.join(out, 'log.jsonl')) as f:
            curves.append([json.loads(line)['main/loss'] for line in f])
    assert curves[0] == curves[1]
    other = chainvision.fit('lenet5', 'mnist', out=str(tmp_path / 'other'),
                            **dict(MNIST_RUN, seed=2, iterations=30))
    with open(os.path.join(other['out'], 'log.jsonl')) as f:
        assert json.loads(f.readline())['main/loss'] != curves[0][0]


def test_cifar10_slice_trains_resnet20_with_the_he2016_recipe(tmp_path):
    images, labels = datasets.load_arrays('cifar10', 'train')
    test_images, test_labels = datasets.load_arrays('cifar10', 'test')
    data = {'train': (images[:600], labels[:600]), 'test': (test_images[:200], test_labels[:200])}
    results = chainvision.fit('resnet20', data, out=str(tmp_path / 'cifar'),
                              recipe='he2016-cifar', iterations=6, batch_size=32, val_split=100,
                              device='cpu', progress=False)
    with open(os.path.join(results['out'], 'config.json')) as f:
        config = json.load(f)
    recipe = (config['optimizer'], config['lr'], config['weight_decay'])
    assert recipe == ('momentum_sgd', 0.1, 1e-4)
    assert config['augment'] == 'crop4,flip' and config['normalize'] == 'pixel-mean'
    assert results['iterations'] == 6
    assert 0. <= results['test_accuracy'] <= 1.


def test_recipe_options_resolve_in_order():
    config = resolve('resnet110', 'cifar10', 'he2016-cifar', {'lr': 0.05})
    assert config['lr'] == 0.05                      # explicit beats the recipe
    assert config['iterations'] == 64000 and config['milestones'] == (0.5, 0.75)
    assert (config['warmup_iterations'], config['warmup_mode'],
            config['warmup_factor']) == (400, 'constant', 0.1)
    uva = resolve('densenet_cifar', 'cifar10', 'uva-tutorial', {'epochs': 3})
    assert (uva['optimizer'], uva['lr'], uva['epochs'], uva['iterations']) == (
        'adamw', 1e-3, 3, None)
    assert resolve('lenet5', 'mnist', None, {})['epochs'] == 6
    with pytest.raises(ValueError, match="'he2016-cifar' is for cifar10, not mnist"):
        resolve('resnet20', 'mnist', 'he2016-cifar', {})
    with pytest.raises(ValueError, match='Unknown recipe'):
        recipes.get_recipe('he2015')


def test_unknown_option_is_named():
    with pytest.raises(TypeError, match='learning_rate'):
        chainvision.fit('lenet5', 'mnist', learning_rate=0.1)


class _DivergesAtCall(chainvision.Chain):
    """A linear classifier whose output becomes NaN from the 13th call on."""

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.fc = L.Linear(28 * 28, 10)
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        y = self.fc(x.reshape(len(x), -1))
        return y * float('nan') if self.calls >= 13 else y


def test_nan_loss_stops_naming_the_iteration_and_keeps_the_last_snapshot(tmp_path):
    images, labels = datasets.load_arrays('mnist', 'test')
    out = tmp_path / 'nan'
    with pytest.raises(NonFiniteLossError, match=r'iteration 13 .*lower learning rate'):
        # compile=False: deciding it would call the model twice before training.
        chainvision.fit(_DivergesAtCall(), (images[:640], labels[:640]), out=str(out),
                        iterations=20, batch_size=32, snapshot_interval=5, lr=0.01,
                        optimizer='sgd', device='cpu', progress=False, compile=False)
    with numpy.load(out / 'snapshot', allow_pickle=False) as snapshot:
        assert int(snapshot['updater/iteration']) == 10
        weights = snapshot['updater/model:main/predictor/fc/W']
    assert numpy.isfinite(weights).all()


def test_checkpoint_that_does_not_fit_names_keys_and_shapes():
    model = chainvision.models.create('lenet5')
    state = {k: v.clone() for k, v in model.state_dict().items()}
    state['fc5.W'] = torch.zeros(3, 84)
    del state['conv1.b']
    state['extra.W'] = torch.zeros(1)
    with pytest.raises(ValueError) as error:
        checkpoint_module.load_state_into(model, state)
    message = str(error.value)
    assert 'missing keys (1): conv1.b' in message
    assert 'unexpected keys (1): extra.W' in message
    assert 'fc5.W: model (10, 84) vs checkpoint (3, 84)' in message


def test_a_file_that_is_not_a_checkpoint_is_refused(tmp_path):
    path = tmp_path / 'weights.pt'
    torch.save({'conv1.W': torch.zeros(1)}, path)
    with pytest.raises(ValueError, match='not a chainvision checkpoint'):
        checkpoint_module.load_checkpoint(path)


@pytest.mark.parametrize('precision', ['bf16', 'fp16'])
def test_mixed_precision_and_channels_last_train_on_the_cpu(tmp_path, precision, monkeypatch):
    images, labels = datasets.load_arrays('mnist', 'test')
    data = {'train': (images[:1024], labels[:1024]), 'test': (images[-500:], labels[-500:])}
    # Emulated (as on a CPU without AVX-512 BF16/FP16 or AMX): it trains, with
    # one warning that names the faster choice (its evaluations do not warn
    # again).
    monkeypatch.setattr(models._inference, '_WARNED', set())
    monkeypatch.setattr(backend, 'computes_bf16_natively', lambda device: False)
    monkeypatch.setattr(torch.ops.mkldnn, '_is_mkldnn_fp16_supported', lambda: False)
    with pytest.warns(UserWarning) as warned:
        results = chainvision.fit('lenet5', data, out=str(tmp_path / precision), iterations=60,
                                  batch_size=64, precision=precision, channels_last=True,
                                  optimizer='adam', lr=0.003, schedule='constant',
                                  augment='none', model_kwargs={'act_fn': 'relu'}, device='cpu',
                                  progress=False)
    slow = [str(w.message) for w in warned if 'emulated' in str(w.message)]
    assert slow == ['--precision {} runs emulated on this CPU (it has no native {} instructions)'
                    ': training is correct but several times slower than in fp32; --precision '
                    'fp32 (the default here) is faster.'.format(precision, precision)]
    with open(os.path.join(results['out'], 'log.jsonl')) as f:
        loss = json.loads(f.readline())['main/loss']
    assert numpy.isfinite(loss)
    assert results['test_accuracy'] > 0.6     # chance: 0.1


def test_a_folder_with_train_and_test_subfolders_trains(tmp_path):
    from PIL import Image
    images, labels = datasets.load_arrays('mnist', 'test')
    for split, offset in (('train', 0), ('test', 200)):
        for i in range(offset, offset + 40):
            folder = tmp_path / 'digits' / split / ('zero' if labels[i] == 0 else 'other')
            folder.mkdir(parents=True, exist_ok=True)
            Image.fromarray(images[i, 0]).save(folder / '{}.png'.format(i))
    results = chainvision.fit('lenet5', str(tmp_path / 'digits'), out=str(tmp_path / 'run'),
                              iterations=3, batch_size=16, device='cpu', progress=False)
    checkpoint = checkpoint_module.load_checkpoint(tmp_path / 'run' / 'last.pt')
    assert checkpoint['class_names'] == ['other', 'zero']
    assert checkpoint['state_dict']['fc5.W'].shape == (2, 84)
    assert 0. <= results['test_accuracy'] <= 1.
