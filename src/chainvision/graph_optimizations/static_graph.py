"""Chainer's static-graph decorators, run eagerly.

Chainer's ``@static_graph`` records a chain's forward pass once and replays
the recorded schedule afterwards, a speed optimization whose results are the
define-by-run results; ``@static_code`` marks side-effect code that the
replay must still run every iteration.  Here every call runs the Python code
as written, which gives those results and runs the side effects every
iteration, so both decorators return the function unchanged in behaviour.
For the speed, use ``torch.compile`` (chainvision's links trace to one graph).
"""

import functools


def _decorator(args, build):
    # Both forms Chainer accepts: @decorator and @decorator(**options).
    if len(args) == 1 and callable(args[0]):
        return build(args[0])
    if args:
        raise TypeError('takes a function, or keyword options only; got {!r}'.format(args))
    return build


def _eager(func):
    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapped


def static_graph(*args, force_test_define_by_run=False, minimize_cache_size=False,
                 verbosity_level=0, enable_double_backprop=False):
    """Mark a chain's ``forward``/``__call__`` as a static graph (Chainer's
    ``static_graph``); the method then runs eagerly, as written.

    Usable as ``@static_graph`` or ``@static_graph(verbosity_level=1)``; the
    options of Chainer's scheduler (``force_test_define_by_run``,
    ``minimize_cache_size``, ``verbosity_level``, ``enable_double_backprop``)
    are accepted and have nothing to tune here (double backprop always
    works, as PyTorch's autograd allows it).

    Returns:
        the decorated method, or a decorator when called with options.
    """
    return _decorator(args, _eager)


def static_code(*args, func_name=None):
    """Mark a function as code to run in every iteration of a static graph
    (Chainer's ``static_code``): here it simply runs whenever called, with
    its arguments (Chainer's ``inputs=``/``outputs=`` keywords included)
    passed through.  ``func_name`` names it in Chainer's debugging output and
    is accepted.

    Usable as ``@static_code`` or ``@static_code(func_name='...')``.
    """
    return _decorator(args, _eager)
