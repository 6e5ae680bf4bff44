"""One training run as an object: :class:`Run` holds the resolved options,
the data and loaders, the model, optimizer and trainer, and the run folder,
so each step reads what it needs from it."""

import datetime
import math
import os
import random
import sys
import time
from typing import Any, Dict

import numpy
import torch

from chainvision import models
from chainvision.app import data as data_module
from chainvision.app import model as model_module
from chainvision.app import compilation, optimization, patch_whitening, reporting, results
from chainvision.app.host_memory import keep_freed_host_memory
from chainvision.app.run_folder import RunDirectory, RunFolderWriteError, is_inside
from chainvision.app.stopping import StopTrigger, stop_on_signals
from chainvision.links.model.classifier import Classifier
from chainvision.serializers import UnreadableFileError, load_npz
from chainvision.training import extensions
from chainvision.training.distributed import DistributedContext
from chainvision.training.trainer import Trainer
from chainvision.training.triggers import MaxValueTrigger
from chainvision.training.updaters.fit_updater import FitUpdater


class Run:
    """Everything one call of :func:`chainvision.fit` builds, ready to train.

    Building a ``Run`` seeds the generators, reads the data, builds the
    model, optimizer, schedule and trainer with its extensions, and (on
    ``resume``) loads the snapshot; :meth:`train` then runs it.

    Args:
        model: a registry name or the caller's module (see ``fit``).
        dataset: a name, folder, arrays or dict of splits (see ``fit``).
        config (dict): resolved options (:func:`chainvision.app.options.resolve`).
        out (str): the run folder (:func:`default_out` for the default name).
        resume (bool): continue from the snapshot in ``out``.
        context (DistributedContext): this process's place in the run.
        device (torch.device): where this process trains.

    Attributes:
        config, out, context, device: as given (``out`` resolved).
        data (chainvision.app.data.Data): the splits and their statistics.
        train_loader, eval_loaders: the training loader and
            ``{'val': ..., 'test': ...}``.
        total (int): the run's length in iterations.
        predictor (torch.nn.Module): images -> logits.
        classifier (L.Classifier): the loss and accuracy around it.
        inference_predictor (chainvision.models.FastInference): the
            predictor's fast inference form in the run's precision and
            layout (a copy, made again when the weights change), which the
            validation and the final evaluations run.
        optimizer: the Chainer optimizer.
        trainer (Trainer), stop_trigger (StopTrigger).
        folder (RunDirectory or None): the run folder's writer (rank 0 only).

    Building one makes this process keep its freed host memory
    (:mod:`chainvision.app.host_memory`) before the data is loaded.
    """

    def __init__(self, model, dataset, config: Dict[str, Any], out: str,
                 resume: bool, context: DistributedContext, device: torch.device):
        self.started = time.perf_counter()
        self.config, self.context, self.device = config, context, device
        self.out = out
        if not resume and os.path.exists(os.path.join(self.out, 'snapshot')):
            raise FileExistsError('{} already holds a run: resume it with --resume '
                                  '(resume=True) or choose another --out.'.format(self.out))
        context.check_batch_size(config['batch_size'])
        keep_freed_host_memory()
        _seed_everything(config['seed'])
        self.data = data_module.load_data(dataset, config['val_split'], config['normalize'],
                                          model_module.input_shape(model), config['verify'],
                                          model_module.weights_mean_std(model, config))
        self.train_loader, self.eval_loaders = data_module.make_loaders(
            self.data, config['batch_size'], config['eval_batch_size'], config['augment'],
            config['seed'], device)
        self.total = _total_iterations(config, len(self.train_loader))
        self._build_model(model)
        self._build_trainer()
        self.folder = self._extend_main() if context.is_main else None
        if resume:
            self._load_snapshot()

    def _load_snapshot(self):
        path = os.path.join(self.out, 'snapshot')
        try:
            load_npz(path, self.trainer)
        except UnreadableFileError as error:
            raise UnreadableFileError(path, error.problem + (
                '; a run keeps no older snapshot, so it cannot be resumed: start again without '
                '--resume (best.pt and last.pt, where present, still hold trained '
                'weights)')) from error

    def _build_model(self, model):
        config = self.config
        self.predictor = model_module.build_predictor(
            model, config['model_kwargs'], len(self.data.class_names), self.data.image_shape[0],
            config['pretrained'])
        if config['pretrained'] and self.context.is_main:
            print(model_module.describe_start(self.predictor, config['pretrained']))
        self.predictor.to(self.device)
        model_module.materialize(self.predictor, self.train_loader.images)
        if config['patch_whitening']:
            patch_whitening.init_from_training_images(self.predictor, self.train_loader,
                                                      config['patch_whitening'])
        self.classifier = model_module.build_classifier(
            self.predictor, config['label_smoothing'], config['channels_last'])
        self.inference_predictor = models.FastInference(self.predictor, config['precision'],
                                                        config['channels_last'])
        compilation.choose(config, self.predictor, self._trial_step(), self.total, self.device,
                           self.context.is_distributed,
                           say=print if self.context.is_main else lambda line: None)
        self.optimizer, self.scheduled = optimization.build_optimizer(config, self.classifier)

    def _trial_step(self) -> compilation.TrialStep:
        """A training step of the run's shape on a batch drawn apart from the
        run's generators (for :func:`compilation.choose`)."""
        config = self.config
        generator = torch.Generator(device=self.device).manual_seed(0)
        batch = config['batch_size'] // self.context.world_size
        x = torch.randn(batch, *self.data.image_shape, generator=generator, device=self.device)
        if config['channels_last']:
            x = x.contiguous(memory_format=torch.channels_last)
        t = torch.randint(0, len(self.data.class_names), (batch,), generator=generator,
                          device=self.device)
        return compilation.TrialStep(self.classifier, x, t, config['precision'])

    def _build_trainer(self):
        config = self.config
        if self.context.is_main:
            models.warn_once_if_emulated(config['precision'], self.device, 'training')
        self.log_trigger = reporting.EpochOrInterval(self.total, config['log_interval'])
        self.snapshot_trigger = reporting.EpochOrInterval(self.total, config['snapshot_interval'])
        # The loss check is read back from the device only where something is
        # logged or saved (on every rank alike).
        updater = FitUpdater(self.train_loader, self.optimizer, observer=self.classifier,
                             precision=config['precision'],
                             channels_last=config['channels_last'], context=self.context,
                             loss_func=self.context.wrap(self.classifier),
                             check_trigger=lambda trainer: (self.log_trigger(trainer)
                                                            or self.snapshot_trigger(trainer)))
        self.stop_trigger = StopTrigger(self.total)
        self.trainer = Trainer(updater, self.stop_trigger, out=self.out)
        self.trainer.extend(optimization.build_schedule(config, self.total, self.scheduled),
                            name='schedule')
        if config['lookahead']:
            self.trainer.extend(extensions.Lookahead(self.predictor, self.total),
                                name='lookahead')

    def _extend_main(self) -> RunDirectory:
        """Add the extensions that observe and write (rank 0 only)."""
        config, trainer = self.config, self.trainer
        folder = RunDirectory(self.out, tensorboard=config['tensorboard'],
                              weights_format=config['weights_format'])
        folder.write_json('config.json', config)
        log_trigger = self.log_trigger
        if 'val' in self.eval_loaders:
            # The classifier's loss and accuracy of the fast form's logits.
            validated = Classifier(self.inference_predictor, lossfun=self.classifier.lossfun,
                                   accfun=self.classifier.accfun)
            trainer.extend(extensions.Evaluator(self.eval_loaders['val'], validated),
                           trigger=log_trigger)
        trainer.extend(extensions.observe_value(
            'lr', optimization.observe_lr(self.optimizer, self.scheduled[0])),
            trigger=(1, 'iteration'))
        log_report = extensions.LogReport(
            trigger=log_trigger, log_name=None,
            postprocess=reporting.ProgressFields(trainer.updater, config['batch_size']))
        trainer.extend(log_report)
        trainer.extend(reporting.RunFiles(folder, log_report), trigger=log_trigger,
                       name='run_files')
        if 'val' in self.eval_loaders:
            trainer.extend(reporting.best_checkpoint(folder, self.predictor, self.describe),
                           trigger=MaxValueTrigger('validation/main/accuracy',
                                                   trigger=log_trigger),
                           name='best_checkpoint')
        # Chainer's snapshot (written atomically), last of all in an iteration.
        trainer.extend(extensions.snapshot(filename='snapshot'), name='snapshot',
                       trigger=self.snapshot_trigger)
        if config['progress']:
            trainer.extend(extensions.PrintReport(
                ['epoch', 'iteration', 'main/loss', 'main/accuracy', 'validation/main/loss',
                 'validation/main/accuracy', 'lr', 'images/s', 'elapsed_time']))
            if sys.stdout.isatty():
                # The bar redraws itself with terminal escapes: noise in a log file.
                trainer.extend(extensions.ProgressBar(update_interval=10))
        return folder

    def describe(self, **extra) -> Dict[str, Any]:
        """The description a checkpoint of this run carries (what
        :func:`chainvision.app.checkpoint.model_from_checkpoint` needs),
        plus ``extra``."""
        config, data = self.config, self.data
        return dict(extra, model=config['model'], model_kwargs=dict(config['model_kwargs']),
                    dataset=config['dataset'], class_names=data.class_names,
                    image_shape=list(data.image_shape), mean=_as_list(data.mean),
                    std=_as_list(data.std))

    def train(self) -> Dict[str, Any]:
        """Run the trainer to the end and return the results
        (:func:`chainvision.app.results.final_results`).

        Raises:
            KeyboardInterrupt: after Ctrl-C or SIGTERM, once the snapshot
                is saved; the message says how to resume.
            RunFolderWriteError: a file of the run folder could not be
                written (a full disk, a read-only folder); the message
                names it and says whether the last snapshot can be resumed.
        """
        try:
            with stop_on_signals(self.stop_trigger):
                self.trainer.run(show_loop_exception_msg=False)
            if self.stop_trigger.interrupted:
                if self.context.is_main:
                    self.trainer.updater.check_finite()
                    self.trainer.get_extension('snapshot')(self.trainer)
                raise KeyboardInterrupt(
                    'Stopped at iteration {}; the snapshot is saved: resume with chainvision '
                    'train --resume {}'.format(self.trainer.updater.iteration, self.out))
            run_results = results.final_results(self)
        except OSError as error:
            if not is_inside(error.filename, self.out):
                raise
            raise RunFolderWriteError(error, self.out) from error
        self.context.barrier()
        return run_results


def default_out(config: Dict[str, Any]) -> str:
    """``runs/<model>-<dataset>-<time>``, the run folder when none is given."""
    stamp = datetime.datetime.now().strftime('%Y%m%d-%H%M%S')
    return os.path.join('runs', '{}-{}-{}'.format(config['model'] or 'model',
                                                  os.path.basename(str(config['dataset'])),
                                                  stamp))


def _seed_everything(seed):
    random.seed(seed)
    numpy.random.seed(seed)
    torch.manual_seed(seed)


def _total_iterations(config, batches_per_epoch):
    length = (config['iterations'] if config['iterations'] is not None
              else config['epochs'] * batches_per_epoch)
    return max(1, int(math.ceil(length * config['budget'])))


def _as_list(value):
    return None if value is None else numpy.asarray(value).tolist()
