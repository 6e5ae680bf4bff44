"""Calling converters and loss/evaluation functions the way Chainer does."""


def call_converter(converter, batch, device):
    """Run ``converter(batch, device)`` (``device`` may be ``None``)."""
    return converter(batch, device)


def call_loss(function, in_arrays):
    """Call ``function`` with a converted batch: a tuple is spread as
    positional arguments, a dict as keywords, anything else passed as one."""
    if isinstance(in_arrays, tuple):
        return function(*in_arrays)
    if isinstance(in_arrays, dict):
        return function(**in_arrays)
    return function(in_arrays)
