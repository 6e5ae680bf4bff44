"""Keyword-argument parsing helpers of ``chainer.utils.argument``."""

import inspect


def check_unexpected_kwargs(kwargs, **unexpected):
    """Raise ``ValueError(message)`` for the first key of ``unexpected``
    (name -> message, typically a removed option) present in ``kwargs``."""
    for key, message in unexpected.items():
        if key in kwargs:
            raise ValueError(message)


def parse_kwargs(kwargs, *name_and_values, **unexpected):
    """Pop the given options from the dict ``kwargs``.

    Args:
        kwargs (dict): the caller's ``**kwargs``; the parsed keys are removed.
        name_and_values: ``(name, default)`` pairs.
        unexpected: ``name=message`` for options to reject with ``message``.

    Returns:
        tuple: the value of each named option, in order.

    Raises:
        ValueError: for an option listed in ``unexpected``.
        TypeError: for any other key left over, naming the calling function.
    """
    values = tuple(kwargs.pop(name, default) for name, default in name_and_values)
    if kwargs:
        check_unexpected_kwargs(kwargs, **unexpected)
        caller = inspect.stack()[1].function
        raise TypeError('{}() got unexpected keyword argument(s) {}'.format(
            caller, ', '.join(repr(key) for key in sorted(kwargs))))
    return values


def assert_kwargs_empty(kwargs):
    """Raise ``TypeError`` if ``kwargs`` holds anything."""
    parse_kwargs(kwargs)
