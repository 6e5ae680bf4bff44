"""The classifier wrapper: predictor + loss + accuracy, reported each call."""

from chainvision import reporter
from chainvision.functions.evaluation.accuracy import accuracy
from chainvision.functions.loss.softmax_cross_entropy import softmax_cross_entropy
from chainvision.link import Chain


class Classifier(Chain):
    """Wrap a predictor so that calling it with inputs and labels returns
    the loss (Chainer's ``L.Classifier``).

    ``Classifier(predictor)(x, t)`` computes ``y = predictor(x)``,
    ``loss = lossfun(y, t)`` and, if ``compute_accuracy``,
    ``accuracy = accfun(y, t)``; it keeps the three as attributes ``y``,
    ``loss`` and ``accuracy`` and reports ``'loss'`` and ``'accuracy'`` to
    the current reporter with itself as observer (so a trainer logs
    ``'main/loss'``, ``'main/accuracy'``).

    Args:
        predictor (torch.nn.Module): the model; registered as the child
            ``predictor`` (parameters ``/predictor/...``).
        lossfun (callable): ``lossfun(y, t)`` -> scalar tensor (default
            :func:`~chainvision.functions.softmax_cross_entropy`).
        accfun (callable): ``accfun(y, t)`` -> scalar (default
            :func:`~chainvision.functions.accuracy`).
        label_key (int or str): which argument is the label: a position
            among the positional arguments (default ``-1``, the last) or a
            keyword name.  The rest go to the predictor.

    Attributes:
        compute_accuracy (bool): class default True; set it to False on an
            instance to skip the accuracy.
    """

    compute_accuracy = True

    def __init__(self, predictor, lossfun=softmax_cross_entropy, accfun=accuracy,
                 label_key=-1):
        if not isinstance(label_key, (int, str)):
            raise TypeError('label_key must be int or str (a position or a keyword), but is '
                            '{}.'.format(type(label_key).__name__))
        super().__init__()
        self.lossfun = lossfun
        self.accfun = accfun
        self.label_key = label_key
        self.y = None
        self.loss = None
        self.accuracy = None
        with self.init_scope():
            self.predictor = predictor

    def _split_label(self, args, kwargs):
        if isinstance(self.label_key, str):
            if self.label_key not in kwargs:
                raise ValueError('Label key {!r} is not among the keyword arguments {}.'.format(
                    self.label_key, sorted(kwargs)))
            kwargs = dict(kwargs)
            return args, kwargs, kwargs.pop(self.label_key)
        if not -len(args) <= self.label_key < len(args):
            raise ValueError('Label key {} is out of bounds for {} positional arguments.'.format(
                self.label_key, len(args)))
        index = self.label_key % len(args)
        return args[:index] + args[index + 1:], kwargs, args[index]

    def forward(self, *args, **kwargs):
        """Return the loss of ``predictor(*inputs)`` against the label
        argument (see ``label_key``)."""
        args, kwargs, t = self._split_label(args, kwargs)
        self.y = self.loss = self.accuracy = None
        self.y = self.predictor(*args, **kwargs)
        self.loss = self.lossfun(self.y, t)
        reporter.report({'loss': self.loss}, self)
        if self.compute_accuracy:
            self.accuracy = self.accfun(self.y, t)
            reporter.report({'accuracy': self.accuracy}, self)
        return self.loss
