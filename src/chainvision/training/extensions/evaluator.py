"""Evaluate a model on a validation iterator and report the means."""

import contextlib
import copy
import warnings

import torch

from chainvision import configuration
from chainvision import reporter as reporter_module
from chainvision.dataset import convert
from chainvision.link import named_links
from chainvision.training import extension
from chainvision.training._convert import call_converter, call_loss


@contextlib.contextmanager
def _eval_mode(targets):
    # Also switch torch's own flag, so torch.nn layers inside the model
    # (which ignore chainvision.config.train) behave as in inference.
    modules = [m for target in targets for m in target.modules()]
    flags = [m.training for m in modules]
    for module in modules:
        module.training = False
    try:
        yield
    finally:
        for module, flag in zip(modules, flags):
            module.training = flag


class Evaluator(extension.Extension):
    """Run ``eval_func`` (default: the target link) over every batch of the
    iterator with ``config.train = False`` and without building graphs, and
    report the mean of each value it reports, prefixed with this
    extension's name: ``'validation/main/loss'``, ``'validation/main/accuracy'``.

    Args:
        iterator: an iterator (with ``repeat=False``) or a dict of them with
            a ``'main'`` entry; it is ``reset()`` before each evaluation.
        target: the link to evaluate, or a dict of links with ``'main'``.
        converter (callable): ``converter(batch, device)`` (default
            :func:`~chainvision.dataset.concat_examples`).
        device: where batches are sent.
        eval_hook (callable): called as ``eval_hook(evaluator)`` first.
        eval_func (callable): called with each converted batch.

    Each batch counts equally in the mean (Chainer's rule); a smaller last
    batch therefore weighs as much as a full one.  Runs by default once
    per epoch, before other extensions (``PRIORITY_WRITER``).  Beyond
    Chainer, the targets are also in ``module.eval()`` mode during the
    evaluation (restored afterwards).
    """

    trigger = 1, 'epoch'
    default_name = 'validation'
    priority = extension.PRIORITY_WRITER
    name = None

    def __init__(self, iterator, target, converter=convert.concat_examples, device=None,
                 eval_hook=None, eval_func=None):
        self._iterators = iterator if isinstance(iterator, dict) else {'main': iterator}
        self._targets = target if isinstance(target, dict) else {'main': target}
        self.converter = converter
        self.device = device
        self.eval_hook = eval_hook
        self.eval_func = eval_func
        for key, it in self._iterators.items():
            if getattr(it, 'repeat', False):
                warnings.warn('The iterator {!r} of the Evaluator repeats (repeat=True): the '
                              'evaluation may never end. Use repeat=False.'.format(key))

    def get_iterator(self, name):
        """The iterator registered as ``name``."""
        return self._iterators[name]

    def get_all_iterators(self):
        """A dict of all iterators."""
        return dict(self._iterators)

    def get_target(self, name):
        """The target registered as ``name``."""
        return self._targets[name]

    def get_all_targets(self):
        """A dict of all targets."""
        return dict(self._targets)

    def __call__(self, trainer=None):
        """Evaluate, report the results to the current reporter (if any) and
        return them as a dict."""
        reporter = reporter_module.Reporter()
        prefix = self.name + '/' if self.name is not None else ''
        for name, target in self._targets.items():
            reporter.add_observer(prefix + name, target)
            reporter.add_observers(prefix + name, named_links(target, skipself=True))
        with reporter, configuration.using_config('train', False):
            with _eval_mode(self._targets.values()):
                result = self.evaluate()
        reporter_module.report(result)
        return result

    def evaluate(self):
        """Run the evaluation and return ``{key: mean}`` without reporting."""
        iterator = self._iterators['main']
        eval_func = self.eval_func or self._targets['main']
        if self.eval_hook:
            self.eval_hook(self)
        if hasattr(iterator, 'reset'):
            iterator.reset()
            batches = iterator
        else:
            batches = copy.copy(iterator)
        summary = reporter_module.DictSummary()
        for batch in batches:
            observation = {}
            with reporter_module.report_scope(observation), torch.no_grad():
                call_loss(eval_func, call_converter(self.converter, batch, self.device))
            summary.add(observation)
        return summary.compute_mean()

    def finalize(self):
        """Finalize the iterators."""
        for iterator in self._iterators.values():
            iterator.finalize()
