"""Report statistics (mean, std, percentiles...) of parameters and gradients."""

import numpy
import torch

from chainvision import reporter
from chainvision.link import named_params
from chainvision.training import extension
from chainvision.training import util

_PERCENTILES = (0.13, 2.28, 15.87, 50, 84.13, 97.72, 99.87)


def _percentile(x):
    return numpy.percentile(x.detach().float().cpu().numpy(), _PERCENTILES)


_DEFAULT_STATISTICS = {
    'mean': lambda x: x.float().mean(),
    'std': lambda x: x.float().std(unbiased=False),
    'min': lambda x: x.min(),
    'max': lambda x: x.max(),
    'zeros': lambda x: torch.count_nonzero(x == 0),
    'percentile': _percentile,
}


class ParameterStatistics(extension.Extension):
    """At each call, compute statistics of every parameter (``data``) and
    gradient (``grad``) of ``links``; report their means over each
    ``trigger`` interval under
    ``'{prefix}{link_name}{param_name}/{data|grad}/{statistic}'`` (Chainer's
    keys; ``percentile`` gives seven keys ``.../percentile/0`` to ``/6``).

    Args:
        links: a link or a list of links.
        statistics: ``'default'`` (mean, std, min, max, zeros, percentile),
            ``None`` (none) or a dict ``name -> function(flat tensor)``.
        report_params, report_grads (bool): which attributes to measure.
        prefix (str): prepended with a ``/``.
        trigger: the reporting interval (default ``(1, 'epoch')``).
        skip_nan_params (bool): report NaN instead of computing on
            parameters that contain NaN.

    The standard deviation is the population one (NumPy's default, as in
    Chainer).  Parameters without a gradient are skipped for ``grad``.
    """

    default_name = 'parameter_statistics'
    priority = extension.PRIORITY_WRITER
    report_key_template = '{prefix}{link_name}{param_name}/{attr_name}/{function_name}'
    default_statistics = _DEFAULT_STATISTICS

    def __init__(self, links, statistics='default', report_params=True, report_grads=True,
                 prefix=None, trigger=(1, 'epoch'), skip_nan_params=False):
        self._links = links if isinstance(links, (list, tuple)) else (links,)
        if statistics is None:
            statistics = {}
        elif statistics == 'default':
            statistics = self.default_statistics
        self._statistics = dict(statistics)
        self._attrs = [a for a, on in (('data', report_params), ('grad', report_grads)) if on]
        self._prefix = prefix
        self._trigger = util.get_trigger(trigger)
        self._summary = reporter.DictSummary()
        self._skip_nan_params = skip_nan_params

    def __call__(self, trainer):
        statistics = {}
        for link in self._links:
            link_name = getattr(link, 'name', 'None')
            for param_name, param in named_params(link):
                for attr_name in self._attrs:
                    values = param.detach() if attr_name == 'data' else param.grad
                    if values is None:
                        continue
                    statistics.update(self._measure(values.reshape(-1), dict(
                        prefix=self._prefix + '/' if self._prefix else '', link_name=link_name,
                        param_name=param_name, attr_name=attr_name)))
        self._summary.add(statistics)
        if self._trigger(trainer):
            reporter.report(self._summary.compute_mean())
            self._summary = reporter.DictSummary()

    def _measure(self, flat, fields):
        results = {}
        has_nan = self._skip_nan_params and bool(torch.isnan(flat).any())
        for function_name, function in self._statistics.items():
            key = self.report_key_template.format(function_name=function_name, **fields)
            value = numpy.nan if has_nan else function(flat)
            if getattr(value, 'ndim', 0) > 0 and numpy.size(value) > 1:
                results.update({'{}/{}'.format(key, i): v for i, v in enumerate(value)})
            else:
                results[key] = value
        return results

    def register_statistics(self, name, function):
        """Add a statistic ``function(flat tensor) -> scalar``."""
        self._statistics[name] = function
