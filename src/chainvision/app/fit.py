"""``chainvision.fit``: one call from a model and a dataset to a finished run
folder, built from Chainer's ``Trainer``, a :class:`FitUpdater` and the
standard extensions.  The ``chainvision train`` command and ``chainvision
reproduce`` are this function with options from the command line.

>>> results = chainvision.fit('lenet5', 'mnist')        # the README's main command
>>> results['test_accuracy'], results['out']

Measured: ``chainvision train lenet5 --dataset mnist`` (6 epochs) reaches
98.86 % test accuracy (seed 0; seeds 1 and 2: 98.93 %, 98.72 %) in 32 s wall
time on this project's 2-core CPU with other jobs keeping about 1.7 cores
busy, and in 41-64 s when they keep it busier (see the defaults in
:mod:`chainvision.training.recipes`).
"""

import contextlib
import datetime
import functools
import json
import math
import os
import random
import signal
import sys
import threading
import time

import numpy
import torch

from chainvision import datasets as datasets_module
from chainvision import optimizer_hooks, optimizers
from chainvision.functions.evaluation.accuracy import accuracy as accuracy_function
from chainvision.links.model.classifier import Classifier
from chainvision.serializers import load_npz
from chainvision.training import distributed, extensions, metrics, recipes, run_dir
from chainvision.training.extensions.cosine_shift import CosineShift
from chainvision.training.extensions.milestone_shift import MilestoneShift
from chainvision.training.extensions.one_cycle_shift import OneCycleShift
from chainvision.training.trainer import Trainer
from chainvision.training.triggers import MaxValueTrigger
from chainvision.training.updaters.fit_updater import PRECISIONS, FitUpdater

# Every option fit takes, with the value used when neither the model's
# defaults, a recipe nor the caller sets it.
DEFAULTS = {
    'epochs': None,            # the run's length: epochs or iterations (one of them)
    'iterations': None,
    'batch_size': 128,         # global batch (split over ranks under torchrun)
    'optimizer': 'momentum_sgd',
    'lr': 0.1,                 # peak learning rate (Adam's alpha)
    'momentum': 0.9,
    'weight_decay': 0.,        # L2 for SGD-like optimizers, decoupled (lr * wd) for AdamW
    'schedule': 'constant',    # constant, multistep, cosine, one-cycle
    'milestones': (0.5, 0.75),  # multistep: fractions of the run
    'gamma': 0.1,
    'warmup_iterations': 0,
    'warmup_mode': 'linear',
    'warmup_factor': 0.1,
    'label_smoothing': 0.,
    'augment': 'none',         # chainvision.datasets.Augmentation.parse spec, e.g. 'crop4,flip'
    'normalize': 'mean-std',   # mean-std, pixel-mean (He et al.), none
    'val_split': 0,            # examples held out of the training split for validation
    'seed': 0,
    'device': 'auto',
    'precision': 'fp32',
    'channels_last': False,
    'compile': False,
    'budget': 1.,              # fraction of the schedule to run (reproduce --budget)
    'snapshot_interval': None,  # iterations between snapshots (default: every epoch)
    'log_interval': None,      # iterations between log entries/validations (default: every epoch)
    'model_kwargs': {},
    'eval_batch_size': 1000,
    'progress': True,          # per-log-entry table; plus a progress bar on a terminal
    'tensorboard': True,
    'threads': None,           # CPU threads for PyTorch (None: PyTorch's default)
}

# What may change when a run is resumed (the rest would change its results).
RESUME_OPTIONS = ('device', 'progress', 'threads')

OPTIMIZERS = ('sgd', 'momentum_sgd', 'nesterov', 'adam', 'adamw', 'rmsprop', 'adagrad')
SCHEDULES = ('constant', 'multistep', 'cosine', 'one-cycle')
NORMALIZATIONS = ('mean-std', 'pixel-mean', 'none')


def fit(model, dataset, *, out=None, resume=False, recipe=None, **options):
    """Train ``model`` on ``dataset`` and return the run's results.

    Args:
        model: a model name from :func:`chainvision.models.names` (built
            with the dataset's number of classes and channels), or your own
            ``Chain``/``torch.nn.Module`` that maps ``(N, C, H, W)`` float
            images to logits.
        dataset: ``'mnist'``, ``'fashion_mnist'``, ``'cifar10'``,
            ``'cifar100'``; a folder with one sub-folder of images per class
            (or ``train/`` and ``test/`` folders of those); or arrays
            ``(images, labels)`` (uint8 ``(N, C, H, W)``, int ``(N,)``), or a
            dict ``{'train': (images, labels), 'test': (images, labels)}``.
        out (str): the run folder (default ``runs/<model>-<dataset>-<time>``).
        resume (bool): continue the run in ``out`` from its snapshot, with
            the options saved in its ``config.json`` (only
            :data:`RESUME_OPTIONS` may change); ``model`` and ``dataset`` may then be
            ``None`` when they were given by name.
        recipe (str): a published recipe (:data:`recipes.RECIPES`).
        **options: any key of :data:`DEFAULTS`.

    Returns:
        dict: ``test_accuracy`` and ``val_accuracy`` (final weights),
        ``best_val_accuracy``/``best_test_accuracy``/``best_iteration``
        (best checkpoint, when there is a validation split), ``iterations``,
        ``epochs``, ``train_time_s``, ``images_per_s`` (training throughput of
        this process, evaluation excluded), ``out`` and the
        paths of the run's files.  The same dict is saved as
        ``results.json``.

    Raises:
        NonFiniteLossError: the loss became NaN/inf (the run folder keeps
            the last good snapshot).
        KeyboardInterrupt: after Ctrl-C or SIGTERM, once the snapshot is saved.
    """
    unknown = sorted(set(options) - set(DEFAULTS))
    if unknown:
        raise TypeError('fit() got unknown options {}; valid options: {}.'.format(
            ', '.join(unknown), ', '.join(sorted(DEFAULTS))))
    if resume:
        config = _load_config(out)
        config.update({k: v for k, v in options.items() if k in RESUME_OPTIONS})
        model = config['model'] if model is None else model
        dataset = config['dataset'] if dataset is None else dataset
    else:
        model_name = model if isinstance(model, str) else None
        config = resolve_options(model_name, dataset, recipe, options)
    context, device = distributed.init_from_environment(select_device(config['device']))
    threads = torch.get_num_threads()
    if config['threads'] and device.type == 'cpu':
        torch.set_num_threads(config['threads'])
    try:
        return _fit(model, dataset, config, out, resume, context, device)
    finally:
        torch.set_num_threads(threads)
        distributed.shutdown()


def resolve_options(model_name, dataset, recipe, options):
    """The options a run uses: :data:`DEFAULTS`, then the model's defaults
    for the dataset (:func:`recipes.default_options`), then the recipe, then
    ``options``; checked, with the schedule's length in iterations still
    to be fixed by the dataset size.  Returns a JSON-able dict."""
    dataset_name = dataset if isinstance(dataset, str) else 'arrays'
    config = dict(DEFAULTS)
    config.update(recipes.default_options(model_name, dataset_name))
    if recipe is not None:
        recipe_options = dict(recipes.get_recipe(recipe).options(model_name))
        recipe_dataset = recipe_options.pop('dataset')
        if isinstance(dataset, str) and _dataset_key(dataset) != recipe_dataset:
            raise ValueError('Recipe {!r} is for {}, not {}.'.format(recipe, recipe_dataset,
                                                                     dataset))
        config.update(recipe_options)
    explicit = {k: v for k, v in options.items() if v is not None}
    if 'epochs' in explicit:
        config['iterations'] = None
    if 'iterations' in explicit:
        config['epochs'] = None
    config.update(explicit)
    config.update(model=model_name, dataset=dataset_name if not os.path.isdir(dataset_name)
                  else os.path.abspath(dataset_name), recipe=recipe)
    _check_options(config)
    return config


def _dataset_key(name):
    return name.replace('-', '_').lower()


def _check_options(config):
    choices = {'optimizer': OPTIMIZERS, 'schedule': SCHEDULES, 'normalize': NORMALIZATIONS,
               'precision': tuple(PRECISIONS)}
    for key, allowed in choices.items():
        if config[key] not in allowed:
            raise ValueError('{} must be one of {}, got {!r}.'.format(
                key, ', '.join(allowed), config[key]))
    if (config['epochs'] is None) == (config['iterations'] is None):
        raise ValueError('Give exactly one of epochs and iterations (got epochs={!r}, '
                         'iterations={!r}).'.format(config['epochs'], config['iterations']))
    length = config['epochs'] or config['iterations']
    if length <= 0 or config['batch_size'] <= 0 or not 0 < config['budget'] <= 1:
        raise ValueError('epochs/iterations and batch_size must be positive and budget in '
                         '(0, 1]; got {}={}, batch_size={}, budget={}.'.format(
                             'epochs' if config['epochs'] else 'iterations', length,
                             config['batch_size'], config['budget']))
    if config['lr'] <= 0:
        raise ValueError('lr must be positive, got {}.'.format(config['lr']))
    datasets_module.Augmentation.parse(config['augment'])


def select_device(spec):
    """``'auto'`` (CUDA if available, else CPU), ``'cpu'``, ``'cuda'``,
    ``'cuda:N'`` or ``'mps'`` -> ``torch.device``, with a clear error when
    the device is missing."""
    if spec == 'auto':
        return torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    device = torch.device(spec)
    if device.type == 'cuda' and not torch.cuda.is_available():
        raise ValueError('--device {} asked for CUDA, but PyTorch sees no CUDA device '
                         '(torch {}); use --device cpu.'.format(spec, torch.__version__))
    if device.type == 'cuda' and (device.index or 0) >= torch.cuda.device_count():
        raise ValueError('--device {}: there are only {} CUDA device(s).'.format(
            spec, torch.cuda.device_count()))
    return device


def _load_config(out):
    if out is None:
        raise ValueError('resume needs the run folder (out=...).')
    path = os.path.join(out, 'config.json')
    if not os.path.exists(os.path.join(out, 'snapshot')):
        raise FileNotFoundError('Nothing to resume in {}: it has no snapshot (a run writes one '
                                'at the end of its first epoch).'.format(out))
    with open(path) as f:
        return json.load(f)


# ---------------------------------------------------------------- data


class _Data:
    """The splits as uint8 image arrays and int64 labels, plus what the
    model and the loaders need to know about them."""

    def __init__(self, train, val, test, class_names, mean, std):
        self.train, self.val, self.test = train, val, test
        self.class_names = list(class_names)
        self.mean, self.std = mean, std

    @property
    def image_shape(self):
        return tuple(self.train[0].shape[1:])


def _load_data(dataset, config):
    train, test, class_names = _read_splits(dataset)
    if config['val_split']:
        n = len(train[1])
        if not 0 < config['val_split'] < n:
            raise ValueError('val_split must be between 0 and {} (the training examples), '
                             'got {}.'.format(n, config['val_split']))
        # A fixed split (seed 0), so runs with different seeds share one validation set.
        keep, held_out = datasets_module.split_indices(n, n - config['val_split'], seed=0)
        val = (train[0][held_out], train[1][held_out])
        train = (train[0][keep], train[1][keep])
    else:
        val = None
    mean, std = _normalization(config['normalize'], dataset, train[0])
    return _Data(train, val, test, class_names, mean, std)


def _read_splits(dataset):
    if isinstance(dataset, dict):
        return dataset['train'], dataset.get('test'), _class_names(dataset['train'][1])
    if isinstance(dataset, (tuple, list)):
        return tuple(dataset), None, _class_names(dataset[1])
    if os.path.isdir(dataset):
        return _read_folder(dataset)
    info = datasets_module.get_info(dataset)
    return (datasets_module.load_arrays(dataset, 'train'),
            datasets_module.load_arrays(dataset, 'test'), info.class_names)


def _class_names(labels):
    return [str(i) for i in range(int(numpy.max(labels)) + 1)]


def _read_folder(path):
    subfolders = {name: os.path.join(path, name) for name in ('train', 'test')}
    if all(os.path.isdir(p) for p in subfolders.values()):
        train_images, train_labels, names = _folder_arrays(subfolders['train'])
        test_images, test_labels, _ = _folder_arrays(subfolders['test'])
        return (train_images, train_labels), (test_images, test_labels), names
    images, labels, names = _folder_arrays(path)
    return (images, labels), None, names


def _folder_arrays(path):
    folder = datasets_module.image_folder(path)
    images, labels = folder.to_arrays()
    return images, labels, folder.class_names


def _normalization(kind, dataset, train_images):
    if kind == 'none':
        return None, None
    if kind == 'pixel-mean':
        # He et al. 2016: subtract the per-pixel mean of the training images, no scaling.
        mean = numpy.asarray(train_images).mean(axis=0, dtype=numpy.float64) / 255.
        return mean.astype(numpy.float32), numpy.ones_like(mean, numpy.float32)
    if isinstance(dataset, str) and not os.path.isdir(dataset):
        mean, std = datasets_module.train_mean_std(dataset)
    else:
        mean, std = datasets_module.compute_mean_std(train_images)
    return mean.tolist(), std.tolist()


def _loaders(data, config, device):
    # Training batches are all full (drop_last) whenever the data allows, so
    # every update, and every rank's shard, sees the same number of images.
    batch_size = config['batch_size']
    make = functools.partial(datasets_module.DeviceLoader, mean=data.mean, std=data.std,
                             device=device)
    train = make(*data.train, batch_size=batch_size,
                 augmentation=datasets_module.Augmentation.parse(config['augment']),
                 shuffle=True, repeat=True, seed=config['seed'],
                 drop_last=len(data.train[1]) >= batch_size)
    evaluation = {name: make(*split, batch_size=config['eval_batch_size'], shuffle=False,
                             repeat=False)
                  for name, split in (('val', data.val), ('test', data.test)) if split is not None}
    return train, evaluation


# ---------------------------------------------------------------- model and optimizer


def _build_predictor(model, config, data):
    if not isinstance(model, str):
        return model
    from chainvision import models
    kwargs = dict(config['model_kwargs'], num_classes=len(data.class_names),
                  in_channels=data.image_shape[0])
    return models.create(model, **kwargs)


def _cross_entropy(y, t, label_smoothing):
    return torch.nn.functional.cross_entropy(y, t, label_smoothing=label_smoothing)


def _build_optimizer(config, target):
    """The Chainer optimizer, and the attribute the schedule drives with its
    peak value: Adam-like optimizers keep ``alpha = lr`` and schedule the
    multiplier ``eta`` (so AdamW's decoupled decay follows the schedule, as
    in ``torch.optim.AdamW``)."""
    name, lr, momentum, decay = (config['optimizer'], config['lr'], config['momentum'],
                                 config['weight_decay'])
    if name == 'adamw':
        optimizer = optimizers.Adam(alpha=lr, weight_decay_rate=lr * decay)
        schedule = ('eta', 1.)
    elif name == 'adam':
        optimizer, schedule = optimizers.Adam(alpha=lr), ('eta', 1.)
    else:
        optimizer = {
            'sgd': lambda: optimizers.SGD(lr=lr),
            'momentum_sgd': lambda: optimizers.MomentumSGD(lr=lr, momentum=momentum),
            'nesterov': lambda: optimizers.NesterovAG(lr=lr, momentum=momentum),
            'rmsprop': lambda: optimizers.RMSprop(lr=lr),
            'adagrad': lambda: optimizers.AdaGrad(lr=lr),
        }[name]()
        schedule = ('lr', lr)
    optimizer.setup(target)
    if decay and name != 'adamw':
        optimizer.add_hook(optimizer_hooks.WeightDecay(decay))
    return optimizer, schedule


def _schedule_extension(config, total, attr, base):
    warmup = dict(warmup_iterations=config['warmup_iterations'],
                  warmup_mode=config['warmup_mode'], warmup_factor=config['warmup_factor'])
    kind = config['schedule']
    if kind == 'one-cycle':
        return OneCycleShift(attr, base, total)
    if kind == 'cosine':
        return CosineShift(attr, base, total, **warmup)
    milestones = ([round(f * total) for f in config['milestones']] if kind == 'multistep'
                  else [])
    return MilestoneShift(attr, base, total, milestones, gamma=config['gamma'], **warmup)


# ---------------------------------------------------------------- triggers and extensions


class _EpochOrInterval:
    """Fires at every epoch end, every ``interval`` iterations (if given)
    and at the last iteration; stateless, so nothing to snapshot."""

    def __init__(self, total, interval=None):
        self.total = total
        self.interval = interval

    def __call__(self, trainer):
        updater = trainer.updater
        return (updater.is_new_epoch or updater.iteration >= self.total
                or bool(self.interval and updater.iteration % self.interval == 0))

    def serialize(self, serializer):
        """Nothing to save (triggers that wrap this one call it)."""


class _StopTrigger:
    """Stops after ``total`` iterations, or at the end of the iteration in
    which Ctrl-C or SIGTERM came (so the snapshot then saved is consistent)."""

    def __init__(self, total):
        self.total = total
        self.interrupted = False

    def __call__(self, trainer):
        return self.interrupted or trainer.updater.iteration >= self.total

    def get_training_length(self):
        """``(total, 'iteration')``, for the progress bar."""
        return self.total, 'iteration'


# Signals that stop a run cleanly, each with the disposition it must have
# for fit to take it over (a handler someone else installed is left alone).
_STOP_SIGNALS = {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: signal.SIG_DFL}


@contextlib.contextmanager
def _stop_on_signals(stop_trigger):
    """While training, the first Ctrl-C (SIGINT) or SIGTERM (what batch
    schedulers send before they kill) asks the loop to stop after the current
    iteration; a second one acts as usual, at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    taken = [s for s, default in _STOP_SIGNALS.items() if signal.getsignal(s) is default]

    def request_stop(signum, frame):
        stop_trigger.interrupted = True
        signal.signal(signum, _STOP_SIGNALS[signum])
        print('\nStopping after this iteration and saving a snapshot (again to abort).',
              flush=True)

    for signum in taken:
        signal.signal(signum, request_stop)
    try:
        yield
    finally:
        for signum in taken:
            signal.signal(signum, _STOP_SIGNALS[signum])


class _RunFiles:
    """Rewrites the run folder's logs and plots whenever ``LogReport``
    added an entry."""

    priority = 0

    def __init__(self, run, log_report):
        self.run = run
        self.log_report = log_report
        self._written = -1

    def __call__(self, trainer):
        entries = self.log_report.log
        if len(entries) != self._written:
            self.run.write_log(entries)
            self._written = len(entries)

    def finalize(self):
        self.run.close()


def _observe_lr(optimizer, attr):
    # Adam's nominal rate is alpha * eta (alpha_t adds the bias correction).
    if attr == 'eta':
        return lambda trainer: optimizer.alpha * optimizer.eta
    return lambda trainer: getattr(optimizer, attr)


# ---------------------------------------------------------------- the run


def _fit(model, dataset, config, out, resume, context, device):
    started = time.perf_counter()
    if out is None:
        stamp = datetime.datetime.now().strftime('%Y%m%d-%H%M%S')
        out = os.path.join('runs', '{}-{}-{}'.format(config['model'] or 'model',
                                                     os.path.basename(str(config['dataset'])),
                                                     stamp))
    if not resume and os.path.exists(os.path.join(out, 'snapshot')):
        raise FileExistsError('{} already holds a run: resume it with --resume (resume=True) '
                              'or choose another --out.'.format(out))
    context.check_batch_size(config['batch_size'])
    _seed_everything(config['seed'])
    data = _load_data(dataset, config)
    train_loader, eval_loaders = _loaders(data, config, device)
    total = _total_iterations(config, len(train_loader))

    predictor = _build_predictor(model, config, data)
    predictor.to(device)
    _materialize(predictor, train_loader)
    if config['channels_last']:
        predictor.to(memory_format=torch.channels_last)
    classifier = Classifier(predictor, lossfun=functools.partial(
        _cross_entropy, label_smoothing=config['label_smoothing']), accfun=accuracy_function)
    if config['compile']:
        predictor.compile()
    optimizer, (attr, base) = _build_optimizer(config, classifier)
    updater = FitUpdater(train_loader, optimizer, observer=classifier,
                         precision=config['precision'], channels_last=config['channels_last'],
                         context=context, loss_func=context.wrap(classifier))
    stop_trigger = _StopTrigger(total)
    trainer = Trainer(updater, stop_trigger, out=out)
    trainer.extend(_schedule_extension(config, total, attr, base), name='schedule')
    run = _extend_rank0(trainer, context, config, data, classifier, optimizer, attr,
                        eval_loaders, total, out)
    if resume:
        load_npz(os.path.join(out, 'snapshot'), trainer)
    with _stop_on_signals(stop_trigger):
        trainer.run(show_loop_exception_msg=False)
    if stop_trigger.interrupted:
        message = ('Stopped at iteration {}; the snapshot is saved: resume with '
                   'chainvision train --resume {}'.format(updater.iteration, out))
        if context.is_main:
            trainer.get_extension('snapshot')(trainer)
            print(message, file=sys.stderr, flush=True)
        raise KeyboardInterrupt(message)
    results = _final_results(trainer, context, config, data, predictor, eval_loaders, run,
                             out, started)
    context.barrier()
    return results


def _seed_everything(seed):
    random.seed(seed)
    numpy.random.seed(seed)
    torch.manual_seed(seed)


def _total_iterations(config, batches_per_epoch):
    length = (config['iterations'] if config['iterations'] is not None
              else config['epochs'] * batches_per_epoch)
    return max(1, int(math.ceil(length * config['budget'])))


def _materialize(predictor, loader):
    # A forward pass fixes the shapes of lazy parameters (L.Linear(None, n))
    # before the optimizer, DDP and snapshots see them.
    if any(isinstance(p, torch.nn.parameter.UninitializedParameter)
           for p in predictor.parameters()):
        x = loader.images[:1].float()
        with torch.no_grad():
            predictor(x)


def _extend_rank0(trainer, context, config, data, classifier, optimizer, attr, eval_loaders,
                  total, out):
    """Add the extensions that observe and write (rank 0 only)."""
    if not context.is_main:
        return None
    run = run_dir.RunDirectory(out, tensorboard=config['tensorboard'])
    run.write_json('config.json', config)
    log_trigger = _EpochOrInterval(total, config['log_interval'])
    if 'val' in eval_loaders:
        trainer.extend(extensions.Evaluator(eval_loaders['val'], classifier),
                       trigger=log_trigger)
    trainer.extend(extensions.observe_value('lr', _observe_lr(optimizer, attr)),
                   trigger=(1, 'iteration'))
    log_report = extensions.LogReport(trigger=log_trigger, log_name=None,
                                      postprocess=_ProgressFields(trainer, config['batch_size']))
    trainer.extend(log_report)
    trainer.extend(_RunFiles(run, log_report), trigger=log_trigger,
                   name='run_files')
    if 'val' in eval_loaders:
        describe = functools.partial(_describe, config, data)
        trainer.extend(_save_best(run, classifier.predictor, describe),
                       trigger=MaxValueTrigger('validation/main/accuracy', trigger=log_trigger),
                       name='best_checkpoint')
    # Chainer's snapshot (written atomically), last of all in an iteration.
    trainer.extend(extensions.snapshot(filename='snapshot'), name='snapshot',
                   trigger=_EpochOrInterval(total, config['snapshot_interval']))
    if config['progress']:
        trainer.extend(extensions.PrintReport(
            ['epoch', 'iteration', 'main/loss', 'main/accuracy', 'validation/main/loss',
             'validation/main/accuracy', 'lr', 'images/s', 'elapsed_time']))
        if sys.stdout.isatty():
            # The bar redraws itself with terminal escapes: noise in a log file.
            trainer.extend(extensions.ProgressBar(update_interval=10))
    return run


class _ProgressFields:
    """Adds ``epoch_detail`` (the plots' x axis) and ``images/s`` (training
    throughput over the entry's interval, evaluation excluded) to each log
    entry."""

    def __init__(self, trainer, batch_size):
        self.updater = trainer.updater
        self.batch_size = batch_size
        self._last = (0, 0.)

    def __call__(self, entry):
        updates, seconds = self.updater.timed_updates, self.updater.update_seconds
        done = (updates - self._last[0]) * self.batch_size
        spent = seconds - self._last[1]
        self._last = updates, seconds
        entry['epoch_detail'] = self.updater.epoch_detail
        entry['images/s'] = done / spent if spent > 0 else float('nan')


def _save_best(run, predictor, describe):
    def best_checkpoint(trainer):
        accuracy = float(trainer.observation['validation/main/accuracy'])
        run.save_model('best.pt', predictor, describe(
            iteration=trainer.updater.iteration, epoch=trainer.updater.epoch_detail,
            val_accuracy=round(accuracy, 6)))
    return best_checkpoint


def _describe(config, data, **extra):
    return dict(extra, model=config['model'], model_kwargs=dict(config['model_kwargs']),
                dataset=config['dataset'],
                class_names=data.class_names, image_shape=list(data.image_shape),
                mean=_as_list(data.mean), std=_as_list(data.std))


def _as_list(value):
    return None if value is None else numpy.asarray(value).tolist()


def _final_results(trainer, context, config, data, predictor, eval_loaders, run, out,
                   started):
    updater = trainer.updater
    results = {'out': os.path.abspath(out), 'iterations': updater.iteration,
               'epochs': round(updater.epoch_detail, 3),
               'train_time_s': round(trainer.elapsed_time, 2)}
    # Every rank takes part in these evaluations (their counts are summed).
    for name, loader in eval_loaders.items():
        matrix = metrics.confusion_matrix(predictor, loader, len(data.class_names), context)
        results['{}_accuracy'.format(name)] = metrics.accuracy(matrix)
    seen = updater.timed_updates * config['batch_size']
    results['images_per_s'] = round(seen / max(updater.update_seconds, 1e-9), 1)
    if run is None:
        return results
    run.save_model('last.pt', predictor, _describe(config, data, iteration=updater.iteration,
                                                   epoch=updater.epoch_detail))
    best_path = run.file('best.pt')
    if os.path.exists(best_path):
        results.update(_best_results(best_path, predictor, data, eval_loaders))
    results['files'] = {name: run.file(name) for name in sorted(os.listdir(run.path))
                        if not name.startswith('.')}
    results['total_time_s'] = round(time.perf_counter() - started, 2)
    run.write_json('results.json', results)
    return results


def _best_results(best_path, predictor, data, eval_loaders):
    """Evaluate the best checkpoint on the test split (the weights in
    ``predictor`` are restored afterwards)."""
    checkpoint = run_dir.load_checkpoint(best_path)
    results = {'best_iteration': checkpoint['iteration'],
               'best_val_accuracy': checkpoint['val_accuracy']}
    if 'test' in eval_loaders:
        final_state = {k: v.clone() for k, v in predictor.state_dict().items()}
        run_dir.load_state_into(predictor, checkpoint['state_dict'])
        matrix = metrics.confusion_matrix(predictor, eval_loaders['test'], len(data.class_names))
        results['best_test_accuracy'] = metrics.accuracy(matrix)
        predictor.load_state_dict(final_state)
    return results
