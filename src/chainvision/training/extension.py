"""Trainer extensions: the ``Extension`` base class, ``make_extension`` and
the priorities that order extensions within an iteration."""

PRIORITY_WRITER = 300
"""Extensions that write to the observation (e.g. ``Evaluator``) run first."""
PRIORITY_EDITOR = 200
"""Extensions that edit the observation (e.g. ``MicroAverage``) run next."""
PRIORITY_READER = 100
"""Extensions that only read the observation (e.g. ``LogReport``) run last."""


class Extension:
    """Base class of trainer extensions.

    An extension is called as ``extension(trainer)`` when its trigger fires
    (default every iteration, ``trigger = (1, 'iteration')``), in
    decreasing ``priority`` order.  Optional methods: ``initialize(trainer)``
    (before the loop, also after a resume), ``finalize()``,
    ``on_error(trainer, exc, tb)`` and ``serialize(serializer)`` (state kept
    in trainer snapshots).
    """

    trigger = 1, 'iteration'
    priority = PRIORITY_READER
    name = None

    @property
    def default_name(self):
        """The name used when ``trainer.extend`` is given none: the class name."""
        return type(self).__name__

    def __call__(self, trainer):
        raise NotImplementedError('{} must implement __call__(trainer)'.format(type(self).__name__))

    def initialize(self, trainer):
        """Called once before the training loop starts (or resumes)."""

    def finalize(self):
        """Called once after the training loop ends, even on an error."""

    def on_error(self, trainer, exc, tb):
        """Called when the training loop raises ``exc``."""

    def serialize(self, serializer):
        """Save or load this extension's state (nothing by default)."""


def make_extension(trigger=None, default_name=None, priority=None, finalizer=None,
                   initializer=None, on_error=None):
    """Decorator that makes a function ``f(trainer)`` an extension with the
    given ``trigger`` (default ``(1, 'iteration')``), ``default_name``
    (default the function's name), ``priority`` (default
    ``PRIORITY_READER``) and optional ``finalizer``/``initializer``/
    ``on_error`` callables."""

    def decorator(function):
        function.trigger = Extension.trigger if trigger is None else trigger
        function.default_name = default_name or function.__name__
        function.priority = Extension.priority if priority is None else priority
        function.finalize = finalizer
        function.initialize = initializer
        function.on_error = on_error
        return function

    return decorator
