"""``chainvision.fit``: one call from a model and a dataset to a finished run
folder, built from Chainer's ``Trainer``, a :class:`FitUpdater` and the
standard extensions.  The ``chainvision train`` command and ``chainvision
reproduce`` are this function with options from the command line.

>>> results = chainvision.fit('lenet5', 'mnist')        # doctest: +SKIP
>>> results['test_accuracy'], results['out']            # doctest: +SKIP

Measured: ``chainvision train lenet5 --dataset mnist`` (6 epochs) reaches
98.89 % test accuracy (seed 0; seeds 1 and 2: 98.89 %, 98.74 %) in 18-19 s
wall time, 15-16 s of it training, on this project's 2-core CPU with nothing
else running (bf16, its default there; see the defaults in
:mod:`chainvision.app.recipes`).
"""

import contextlib
import os
from typing import Any, Dict, Iterator, Optional, Union

import torch

from chainvision import backend
from chainvision.app import options as options_module
from chainvision.app import run_lock
from chainvision.app.run import Run, default_out
from chainvision.training import distributed


def fit(model: Union[str, torch.nn.Module, None], dataset: Any, *, out: Optional[str] = None,
        resume: bool = False, recipe: Optional[str] = None, **options: Any) -> Dict[str, Any]:
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
        out: the run folder (default ``runs/<model>-<dataset>-<time>``);
            the run holds its lock (:mod:`chainvision.app.run_lock`), so a
            second run into it is refused while this one lives.
        resume: continue the run in ``out`` from its snapshot, with the
            options saved in its ``config.json`` (only
            :data:`~chainvision.app.options.RESUMABLE` options may change);
            ``model`` and ``dataset`` may then be ``None`` when they were
            given by name.
        recipe: a published recipe (:data:`chainvision.app.recipes.RECIPES`).
        **options: any option of :data:`chainvision.app.options.OPTIONS`;
            the rest take the recipe's, the model's or the table's default.

    Returns:
        dict: ``test_accuracy`` and ``val_accuracy`` (final weights),
        ``best_val_accuracy``/``best_test_accuracy``/``best_iteration``
        (best checkpoint, when there is a validation split), ``iterations``,
        ``epochs``, ``train_time_s``, ``images_per_s`` (training throughput of
        this process, evaluation excluded), ``out`` and the
        paths of the run's files.  The same dict is saved as
        ``results.json``.

    Raises:
        TypeError: an unknown option.
        ValueError: an option's value is not valid (the message names it).
        FileNotFoundError: ``resume`` with no run folder or no snapshot in it.
        RunFolderBusyError: another live process trains into ``out``.
        NonFiniteLossError: the loss became NaN/inf (the run folder keeps
            the last good snapshot).
        KeyboardInterrupt: after Ctrl-C or SIGTERM, once the snapshot is saved.
    """
    if resume and out is not None and not os.path.isdir(out):
        raise FileNotFoundError('There is no run folder {} to resume; check the path, or start '
                                'a new run without --resume'.format(out))
    if not resume:
        config = options_module.resolve(model if isinstance(model, str) else None, dataset,
                                        recipe, options)
        out = out if out is not None else default_out(config)
    # The folder is locked before its config is read or written.
    with run_lock.hold(out):
        if resume:
            config = options_module.resume(out, options)
            model = config['model'] if model is None else model
            dataset = config['dataset'] if dataset is None else dataset
        context, device = distributed.init_from_environment(
            backend.get_device(config['device']).check_available().torch_device)
        try:
            with cpu_threads(config['threads'], device):
                return Run(model, dataset, config, out, resume, context, device).train()
        finally:
            distributed.shutdown()


@contextlib.contextmanager
def cpu_threads(threads: Optional[int], device: torch.device) -> Iterator[None]:
    """PyTorch's CPU threads set to ``threads`` while training on the CPU
    (``None``: left as they are), restored afterwards."""
    previous = torch.get_num_threads()
    if threads and device.type == 'cpu':
        torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
