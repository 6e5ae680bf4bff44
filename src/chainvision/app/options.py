"""The options of a training run, declared once.

:data:`OPTIONS` is the one table of what :func:`chainvision.fit` takes: each
:class:`Option` gives its name, type, default, valid values, help text and
whether a resumed run may change it.  From the table come

- :func:`resolve`: the options a new run uses, every default resolved once
  (``config.json`` holds the result);
- :func:`resume`: a stopped run's frozen options, with only the resumable
  ones changed, so it continues as it started even on another machine;
- :func:`validate`: the checks, whose errors name the option
  (``epochs must be > 0, got 0.``);
- :func:`add_arguments`, :func:`given` and :func:`add_shared_arguments`:
  the flags of ``chainvision train`` and those other sub-commands share.

Resolution order (later wins)::

    the table's defaults  <  recipes.default_options(model, dataset)  <  recipe  <  explicit

A default may depend on the machine (:class:`ByMachine`: a function of the
device the run trains on); it is resolved once, when the run starts.
"""

import argparse
import dataclasses
import json
import math
import numbers
import os
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple

from chainvision import backend
from chainvision import datasets as datasets_module
from chainvision.app import (checkpoint, data, machine, optimization, recipes,
                             test_time_augmentation)
from chainvision.app.machine import ByMachine
from chainvision.models.weights import pretrained as weights
from chainvision.serializers import UnreadableFileError

# A check: value -> None when valid, else what the value must be ("must be > 0").
Check = Callable[[Any], Optional[str]]


@dataclasses.dataclass(frozen=True)
class Option:
    """One option of :func:`chainvision.fit` (and flag of ``chainvision train``).

    Attributes:
        name (str): the keyword argument (``batch_size``).
        kind (type): ``int``, ``float``, ``str``, ``bool``, ``list`` (of
            numbers) or ``dict``; ``float`` accepts integers too.
        default: the value when nothing else sets it; ``None`` means unset
            (allowed only for options whose default is ``None``); a
            :class:`ByMachine` is resolved on the run's device.
        help (str): one line for ``--help`` and the docs.
        choices (tuple of str): the valid values, if a closed set.
        check (callable): ``value -> None`` or what the value must be.
        resumable (bool): may differ when a run is resumed (it does not
            change the run's results).
        command_line (bool): a flag of ``chainvision train``.
        flag (str): the flag's spelling (default ``--name-with-dashes``;
            ``--no-...`` for a switch that turns a default-on option off).
        negatable (bool): a switch with both spellings, ``--name`` and
            ``--no-name`` (for an option whose default is not fixed).
        group (str): options of one group are mutually exclusive flags.
        metavar (str), nargs (str): as ``argparse``.
        parse (callable): command-line word -> value (default ``kind``).
    """

    name: str
    kind: type
    default: Any
    help: str
    choices: Optional[Tuple[str, ...]] = None
    check: Optional[Check] = None
    resumable: bool = False
    command_line: bool = True
    flag: Optional[str] = None
    negatable: bool = False
    group: Optional[str] = None
    metavar: Optional[str] = None
    nargs: Optional[str] = None
    parse: Optional[Callable[[str], Any]] = None

    @property
    def cli_flag(self) -> str:
        """The command-line spelling (``--batch-size``)."""
        return self.flag or '--' + self.name.replace('_', '-')

    def error(self, value) -> Optional[str]:
        """Why ``value`` is not valid for this option (``None``: it is)."""
        if value is None:
            return None if self.default is None else 'must be set'
        if not _is_kind(value, self.kind):
            return 'must be {}'.format(_KIND_NAMES[self.kind])
        if self.kind is float and not math.isfinite(value):
            return 'must be a finite number'
        if self.choices is not None and value not in self.choices:
            return 'must be one of {}'.format(', '.join(self.choices))
        return self.check(value) if self.check is not None else None


_KIND_NAMES = {int: 'an integer', float: 'a number', str: 'a string', bool: 'True or False',
               list: 'a list of numbers', dict: 'a dict'}


def _is_kind(value, kind) -> bool:
    if isinstance(value, bool):
        return kind is bool
    if kind is float:
        return isinstance(value, numbers.Real)
    if kind is int:
        return isinstance(value, numbers.Integral)
    if kind is list:
        return (isinstance(value, (list, tuple))
                and all(_is_kind(v, float) for v in value))
    return isinstance(value, kind)


def _at_least(low) -> Check:
    return lambda value: None if value >= low else 'must be >= {}'.format(low)


def _positive(value) -> Optional[str]:
    return None if value > 0 else 'must be > 0'


def _between(low, high, low_open=False) -> Check:
    def check(value):
        inside = (low < value if low_open else low <= value) and value <= high
        return None if inside else 'must be in {}{}, {}]'.format('(' if low_open else '[',
                                                                 low, high)
    return check


def _fractions(values) -> Optional[str]:
    inside = all(0 <= v <= 1 for v in values)
    return None if inside else 'must be fractions of the run, in [0, 1]'


def _augmentation(spec) -> Optional[str]:
    try:
        datasets_module.Augmentation.parse(spec)
    except ValueError as error:
        return 'must be an augmentation spec ({})'.format(error)
    return None


def _device(spec) -> Optional[str]:
    try:
        backend.get_device(spec)
    except (ValueError, RuntimeError):
        return "must be a device: 'auto', 'cpu', 'cuda', 'cuda:N' or a Chainer specifier"
    return None


def _weights(spec) -> Optional[str]:
    if spec == 'auto' or spec in weights.PRETRAINED or os.path.isfile(spec):
        return None
    return "must be a tag ({}, ...), 'auto' or an existing weight file".format(
        ', '.join(sorted(weights.PRETRAINED)[:3]))


def _whole_or_fraction(text) -> float:
    """``'6'`` -> ``6`` (an int), ``'0.5'`` -> ``0.5``: epochs as typed."""
    value = float(text)
    return int(value) if value.is_integer() else value


OPTIONS: Tuple[Option, ...] = (
    Option('epochs', float, None, 'length of the run in epochs', check=_positive,
           group='length', parse=_whole_or_fraction),
    Option('iterations', int, None, 'length of the run in iterations', check=_at_least(1),
           group='length'),
    Option('batch_size', int, 128, 'global batch size (split over ranks under torchrun)',
           check=_at_least(1)),
    Option('optimizer', str, 'momentum_sgd', 'the optimizer',
           choices=tuple(optimization.OPTIMIZERS)),
    Option('lr', float, 0.1, '(peak) learning rate; Adam: alpha', check=_positive),
    Option('momentum', float, 0.9, 'momentum (momentum_sgd, nesterov)', check=_between(0, 1)),
    Option('weight_decay', float, 0., 'L2 (SGD family) or decoupled decay (AdamW, as '
           'torch.optim.AdamW; nesterov_sgdw and muon: per step at the peak lr)',
           check=_at_least(0)),
    Option('param_hyperparams', dict, {}, "per-parameter hyperparameters: {glob of parameter "
           "paths: {name: value}}, e.g. {'/predictor/head/W': {'lr': 0.5}}",
           command_line=False),
    Option('schedule', str, 'constant', 'the learning-rate schedule',
           choices=tuple(optimization.SCHEDULES)),
    Option('milestones', list, (0.5, 0.75), 'multistep: where the lr drops, as fractions of '
           'the run', check=_fractions, metavar='FRACTION', nargs='+'),
    Option('gamma', float, 0.1, 'multistep: factor at each milestone', check=_positive),
    Option('warmup_iterations', int, 0, 'linear warm-up over this many iterations',
           check=_at_least(0), flag='--warmup', metavar='ITERATIONS'),
    Option('warmup_mode', str, 'linear', "warm-up shape: 'linear' (from warmup_factor x lr "
           "up to lr) or 'constant' (warmup_factor x lr throughout)",
           choices=('linear', 'constant'), command_line=False),
    Option('warmup_factor', float, 0.1, 'warm-up start (linear) or level (constant), as a '
           'fraction of the lr', check=_between(0, 1), command_line=False),
    Option('label_smoothing', float, 0., 'label smoothing of the cross-entropy',
           check=_between(0, 1)),
    Option('lookahead', bool, False, "average the weights with airbench94's Lookahead every 5 "
           'iterations (training.extensions.Lookahead)'),
    Option('patch_whitening', int, 0, "set the model's whitening convolution (speedrun_cifar) "
           'from the first N training images (0: off)', check=_at_least(0), metavar='N'),
    Option('tta', str, 'none', 'test-time augmentation of the final evaluation',
           choices=test_time_augmentation.VIEWS),
    Option('augment', str, 'none', "batched augmentation, e.g. 'crop4,flip', "
           "'flip,rrc0.8-1.0:0.9-1.1', 'none'", check=_augmentation),
    Option('normalize', str, 'mean-std', 'input normalisation: per-channel mean/std, '
           'per-pixel mean (He et al.), none, or what --pretrained weights expect (their '
           'default)', choices=data.NORMALIZE_CHOICES),
    Option('val_split', int, 0, 'hold out N training examples for validation',
           check=_at_least(0), metavar='N'),
    Option('seed', int, 0, 'random seed (data order, augmentation, initial weights)',
           check=_at_least(0)),
    Option('device', str, 'auto', 'auto (default), cpu, cuda, cuda:N', check=_device,
           resumable=True),
    Option('threads', int, None, "CPU threads (default: the model's default, else PyTorch's)",
           check=_at_least(1), resumable=True),
    Option('precision', str, ByMachine(machine.fast_precision, 'bf16 where native, fp16 on '
                                       'older GPUs, else fp32'),
           'autocast dtype; BatchNorm statistics and the loss stay fp32, fp16 scales the loss '
           '(default: bf16 on CUDA GPUs from Ampere on and on CPUs with AVX-512 BF16 or AMX, '
           'fp16 on older GPUs, fp32 elsewhere)',
           choices=tuple(backend.PRECISIONS)),
    Option('channels_last', bool, ByMachine(machine.channels_last_pays, 'on for CPUs and CUDA'),
           'NHWC memory format for the model and the batches (default: on for CPUs and CUDA '
           'GPUs)', negatable=True),
    Option('compile', bool, None, 'torch.compile the model (default: where the run is long '
           'enough to repay the compile time; the decision and its reason are printed)',
           negatable=True),
    Option('budget', float, 1., 'fraction of the schedule to run (default 1: the whole run)',
           check=_between(0, 1, low_open=True), command_line=False),
    Option('snapshot_interval', int, None, 'snapshot every N iterations (default: every epoch)',
           check=_at_least(1), metavar='ITERATIONS'),
    Option('log_interval', int, None, 'validate and log every N iterations (default: every '
           'epoch)', check=_at_least(1), metavar='ITERATIONS'),
    Option('pretrained', str, None, "start from published weights: a tag such as "
           "resnet50.tv_in1k, 'auto' (the model's default tag) or a weight file (torchvision's "
           "or timm's state dict, a Caffe model); a new classifier where the classes differ. "
           "Fine-tuning defaults: the weights' input normalisation, a tenth of the model's "
           'learning rate', check=_weights, metavar='TAG_OR_FILE'),
    Option('model_kwargs', dict, {}, "keyword arguments of the zoo model's builder",
           command_line=False),
    Option('eval_batch_size', int, 1000, 'batch size of evaluation', check=_at_least(1),
           command_line=False),
    Option('progress', bool, True, 'the table per log entry and, on a terminal, the progress '
           'bar (--no-progress: neither)', resumable=True, flag='--no-progress'),
    Option('tensorboard', bool, True, 'write TensorBoard event files (when installed)',
           command_line=False),
    Option('weights_format', str, 'pt', "container of the run's best and last weights: pt "
           "(torch's weights-only format), safetensors (can never run code) or npz "
           "(Chainer's); each keeps the run's description (the trainer's snapshot is unchanged)",
           choices=tuple(checkpoint.WEIGHTS_FORMATS)),
    Option('verify', bool, False, "hash the dataset's cached arrays whole before use (every "
           'load checks their sizes and a sampled hash; a cache that fails is rebuilt)',
           resumable=True),
)

OPTION: Dict[str, Option] = {option.name: option for option in OPTIONS}

# What may change when a run is resumed (the rest would change its results).
RESUMABLE: Tuple[str, ...] = tuple(sorted(o.name for o in OPTIONS if o.resumable))


def check_names(options: Mapping[str, Any]) -> None:
    """Raise ``TypeError`` naming any key of ``options`` not in the table."""
    unknown = sorted(set(options) - set(OPTION))
    if unknown:
        raise TypeError('fit() got unknown options {}; valid options: {}.'.format(
            ', '.join(unknown), ', '.join(sorted(OPTION))))


def validate(config: Mapping[str, Any]) -> None:
    """Check every option's value; raise ``ValueError`` naming the first
    bad one (``batch_size must be >= 1, got 0.``)."""
    for option in OPTIONS:
        _check(option, config[option.name])
    if (config['epochs'] is None) == (config['iterations'] is None):
        raise ValueError('Give exactly one of epochs and iterations (got epochs={!r}, '
                         'iterations={!r}).'.format(config['epochs'], config['iterations']))


def _check(option, value):
    problem = option.error(value)
    if problem is not None:
        raise ValueError('{} {}, got {!r}.'.format(option.name, problem, value))


def resolve(model_name: Optional[str], dataset: Any, recipe: Optional[str] = None,
            options: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """The options a new run uses, every default resolved.

    Args:
        model_name: registry name of the model (``None`` for a user's own).
        dataset: a dataset name, a folder, or arrays (named ``'arrays'``).
        recipe: a published recipe (:data:`recipes.RECIPES`), or ``None``.
        options: explicit values (``None`` values count as not given).

    Returns:
        dict: every option of :data:`OPTIONS` plus ``model``, ``dataset``
        (a folder as an absolute path) and ``recipe``; JSON-able, checked.
    """
    options = dict(options or {})
    check_names(options)
    dataset_name = dataset if isinstance(dataset, str) else 'arrays'
    config = {option.name: option.default for option in OPTIONS}
    config.update(recipes.default_options(model_name, dataset_name))
    if recipe is not None:
        recipe_options = dict(recipes.get_recipe(recipe).options(model_name))
        recipe_dataset = recipe_options.pop('dataset')
        if isinstance(dataset, str) and data.dataset_key(dataset) != recipe_dataset:
            raise ValueError('Recipe {!r} is for {}, not {}.'.format(recipe, recipe_dataset,
                                                                     dataset))
        config.update(recipe_options)
    explicit = {k: v for k, v in options.items() if v is not None}
    if 'pretrained' in explicit:
        # Fine-tuning: the input the weights were trained on, and a smaller
        # step than training from scratch, so the first updates keep them.
        config.update(normalize='pretrained', lr=config['lr'] / 10)
        if os.path.isfile(explicit['pretrained']):
            explicit['pretrained'] = os.path.abspath(explicit['pretrained'])
    # The run's length is one of epochs and iterations: naming one drops the other.
    for given_key, other in (('epochs', 'iterations'), ('iterations', 'epochs')):
        if given_key in explicit:
            config[other] = None
    config.update(explicit)
    _check(OPTION['device'], config['device'])    # the machine defaults need the device
    device = backend.get_device(config['device']).torch_device
    config = {key: value.value(device) if isinstance(value, ByMachine) else value
              for key, value in config.items()}
    config.update(model=model_name, dataset=dataset_name if not os.path.isdir(dataset_name)
                  else os.path.abspath(dataset_name), recipe=recipe)
    validate(config)
    _build_for_the_weights(model_name, config)
    return config


def _build_for_the_weights(model_name, config):
    # Checked before any work: the weights fit the model and are on disk (or
    # downloaded now), and 'pretrained' normalisation has weights to take it
    # from. The network is built as the weights need (a BatchNorm eps, a
    # stride placement), recorded in model_kwargs so that its checkpoints
    # rebuild the same network.
    if config['pretrained'] is not None:
        if model_name is None:
            raise ValueError('pretrained needs a zoo model given by name, not a module (load '
                             'the weights into your module yourself).')
        _, found = weights.resolve(model_name, config['pretrained'])
        config['model_kwargs'] = dict(found.hparams, **config['model_kwargs'])
    elif config['normalize'] == 'pretrained':
        raise ValueError("normalize='pretrained' needs pretrained weights: give pretrained (a "
                         "tag, 'auto' or a weight file) or another normalize.")


def resume(out: Optional[str], options: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """The frozen options of the run in ``out`` (its ``config.json``), with
    the :data:`RESUMABLE` ones in ``options`` changed.

    Raises:
        ValueError: ``out`` is missing, or ``options`` changes an option
            that is not resumable.
        FileNotFoundError: ``out`` holds no snapshot to resume from.
    """
    options = dict(options or {})
    check_names(options)
    if out is None:
        raise ValueError('resume needs the run folder (out=...).')
    if not os.path.exists(os.path.join(out, 'snapshot')):
        raise FileNotFoundError('Nothing to resume in {}: it has no snapshot (a run writes one '
                                'at the end of its first epoch); start again without '
                                '--resume'.format(out))
    config = _read_config(os.path.join(out, 'config.json'))
    # An option added to the table after the run started takes its default,
    # which is the behaviour of the version that wrote config.json.
    for option in OPTIONS:
        if option.name not in config and not isinstance(option.default, ByMachine):
            config[option.name] = option.default
    given = {k: v for k, v in options.items() if v is not None}
    changed = sorted(k for k, v in given.items()
                     if not OPTION[k].resumable and json.loads(json.dumps(v)) != config[k])
    if changed:
        raise ValueError('A resumed run keeps the options in its config.json; {} may not '
                         'change (only {} may).'.format(', '.join(changed), ', '.join(RESUMABLE)))
    config.update(given)
    validate(config)
    return config


def _read_config(path):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        raise FileNotFoundError('{} is missing: the snapshot beside it cannot be resumed without '
                                'the options the run started with; start again without '
                                '--resume'.format(path)) from None
    except ValueError as error:
        raise UnreadableFileError(path, (
            'is damaged ({}); the snapshot beside it cannot be resumed without the options the '
            'run started with: restore the file from a copy, or start again without '
            '--resume').format(error)) from error


# ---------------------------------------------------------------- the command line


def add_arguments(group) -> None:
    """Add every :attr:`Option.command_line` option to ``group`` (a parser
    or an argument group) as a flag with default ``None`` ("not given": the
    recipe's or the model's default applies); read them back with
    :func:`given`."""
    exclusive = {}
    for option in OPTIONS:
        if not option.command_line:
            continue
        target = group
        if option.group is not None:
            if option.group not in exclusive:
                exclusive[option.group] = group.add_mutually_exclusive_group()
            target = exclusive[option.group]
        _add_argument(target, option, option.cli_flag, None)


def add_shared_arguments(parser, names: Sequence[str],
                         flags: Optional[Mapping[str, str]] = None) -> None:
    """Add the flags of the options ``names`` to another sub-command
    (``eval``, ``predict``, ``reproduce``), each defaulting to the table's
    default (those commands have no recipe to defer to); the value lands in
    ``args.<name>``.

    Args:
        parser: the sub-command's parser.
        names: option names, e.g. ``('device',)``.
        flags: other spellings than the options' own (``eval`` spells
            ``eval_batch_size`` as ``{'eval_batch_size': '--batch-size'}``).
    """
    for name in names:
        option = OPTION[name]
        _add_argument(parser, option, (flags or {}).get(name, option.cli_flag), option.default)


def _add_argument(parser, option, flag, default):
    if option.kind is bool and option.negatable:
        parser.add_argument(flag, dest=option.name, action=argparse.BooleanOptionalAction,
                            default=default, help=option.help)
        return
    if option.kind is bool:
        action = 'store_false' if flag.startswith('--no-') else 'store_true'
        parser.add_argument(flag, dest=option.name, action=action, default=default,
                            help=option.help)
        return
    # argparse names the value after dest; a renamed flag keeps its own name.
    metavar = option.metavar or (None if option.choices or flag == option.cli_flag
                                 else flag.lstrip('-').replace('-', '_').upper())
    parser.add_argument(flag, dest=option.name, type=_checked_word(option),
                        choices=option.choices, nargs=option.nargs, metavar=metavar,
                        default=default, help=option.help)


def _checked_word(option):
    """The ``argparse`` type of ``option``: parses one command-line word
    and checks it with :meth:`Option.error`, so a bad value is refused
    before any work, naming the flag (``argument --epochs: must be > 0,
    got 0``)."""
    parse = option.parse or _command_line_kind(option)

    def checked(word):
        try:
            value = parse(word)
        except ValueError:
            raise argparse.ArgumentTypeError('must be {}, got {!r}'.format(
                _KIND_NAMES[option.kind], word)) from None
        problem = option.error([value] if option.kind is list else value)
        if problem is not None:
            raise argparse.ArgumentTypeError('{}, got {}'.format(problem, word))
        return value
    checked.__name__ = option.name   # argparse's fallback message names the type
    return checked


def count_argument(word: str) -> int:
    """``argparse`` type of a count that must be at least 1 (``--top-k``,
    ``--images``, ``--seeds``), checked as the table's counts are."""
    return _checked_word(Option('count', int, 1, '', check=_at_least(1)))(word)


def _command_line_kind(option):
    return float if option.kind is list else option.kind


def given(args: argparse.Namespace, names: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """The options among ``names`` (default: the command-line ones) the
    user gave on the command line: ``{name: value}``."""
    names = names or [o.name for o in OPTIONS if o.command_line]
    return {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}
