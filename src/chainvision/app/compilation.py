"""Whether a run compiles its model with ``torch.compile``, and compiling
it without ever crashing a run.

Compiling pays only where the run is long enough: Inductor takes about
70 s to compile ResNet-20 for training on this project's 2-core CPU
(``tests/models/test_model_compile.py``) and then saves a fraction of every
step.  Unless ``--compile``/``--no-compile`` forces it, :func:`choose`
decides when the run starts::

    compile  if  compile_seconds < saved_fraction * eager_step_seconds * iterations

The eager step is timed on a random batch of the run's shape: two forward
and backward passes that leave BatchNorm's statistics, the gradients and
the random generators as they were (a module's own Python state, such as
a call counter, sees the calls); the compile time and the saved
fraction are those this machine measured for the same model, device,
precision and layout in an earlier run (kept in
``<cache dir>/compile_measurements.json``), else :data:`PRIORS`.  A run
that compiles measures both and records them, so the next decision uses
measured figures; if the compiled step is not faster, it goes on eagerly.
The decision and its reason are printed, and ``config['compile']`` holds
it (``config.json``; a resumed run keeps it).

Compilation is tried before training, on that same batch, in training and
in evaluation mode: where it fails (no C++ compiler, an unsupported
platform) the run goes on eagerly with one warning, never crashes mid-run.
On a CUDA device a model whose eager step is shorter than
:data:`SMALL_STEP_SECONDS` compiles with ``mode='max-autotune'`` (CUDA
graphs and tuned kernels: its step is bound by kernel launches).
"""

import dataclasses
import json
import os
import time
import warnings
from typing import Any, Callable, Dict, Optional, Tuple

import torch

from chainvision.backend import PRECISIONS
from chainvision.configuration import using_config
from chainvision.utils.atomic import atomic_write
from chainvision.utils.cache_dir import get_cache_dir


@dataclasses.dataclass(frozen=True)
class Estimate:
    """What compiling a model costs and saves on a device.

    Attributes:
        compile_seconds (float): time to compile (training and evaluation).
        saved_fraction (float): the fraction of an eager step it saves.
        measured (bool): from an earlier run on this machine (else a prior).
    """

    compile_seconds: float
    saved_fraction: float
    measured: bool = False


# Until this machine has measured a model: CPU from ResNet-20 with Inductor
# on the 2-core CPU (70 s) and an assumed 10% saving; CUDA assumed (60 s, 30%:
# fused element-wise kernels and fewer launches).
PRIORS = {'cpu': Estimate(70., 0.10), 'cuda': Estimate(60., 0.30)}

# On CUDA, an eager step shorter than this is bound by kernel launches.
SMALL_STEP_SECONDS = 0.03


def decide(iterations: int, eager_step_seconds: float, estimate: Estimate) -> Tuple[bool, str]:
    """Whether compiling repays itself over a run of ``iterations`` steps
    of ``eager_step_seconds`` each, and the reason in words."""
    eager = iterations * eager_step_seconds
    saved = estimate.saved_fraction * eager
    source = 'measured on this machine' if estimate.measured else 'assumed, not yet measured here'
    pays = estimate.compile_seconds < saved
    head = '{} iterations take about {} eagerly; '.format(iterations, _duration(eager))
    if estimate.saved_fraction <= 0:
        return False, head + 'compiled steps are {:.0%} slower ({}): compiling does not pay'.format(
            -estimate.saved_fraction, source)
    return pays, head + ('compiling takes about {} and saves about {:.0%} of each step ({}): {}'
                         .format(_duration(estimate.compile_seconds), estimate.saved_fraction,
                                 source, 'it repays itself' if pays
                                 else 'the run is too short to repay it'))


def _duration(seconds):
    if seconds < 120:
        return '{:.0f} s'.format(seconds)
    if seconds < 7200:
        return '{:.0f} min'.format(seconds / 60)
    return '{:.1f} h'.format(seconds / 3600)


class Measurements:
    """This machine's compile measurements, one entry per model, device,
    precision and layout, in a JSON file.

    Args:
        path (str): the file (default ``<cache dir>/compile_measurements.json``).
    """

    def __init__(self, path: Optional[str] = None):
        self.path = path or os.path.join(get_cache_dir(), 'compile_measurements.json')

    def _read(self) -> Dict[str, Dict[str, float]]:
        try:
            with open(self.path) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def estimate(self, key: str, device: torch.device) -> Estimate:
        """The measured :class:`Estimate` for ``key``, else the prior of
        ``device``'s type."""
        entry = self._read().get(key)
        if entry is None:
            return PRIORS.get(device.type, PRIORS['cuda'])
        return Estimate(entry['compile_seconds'],
                        1. - entry['compiled_step_seconds'] / entry['eager_step_seconds'], True)

    def record(self, key: str, compile_seconds: float, eager_step_seconds: float,
               compiled_step_seconds: float) -> None:
        """Keep one run's figures for ``key`` (best effort: an unwritable
        cache only loses them)."""
        entries = self._read()
        entries[key] = dict(compile_seconds=compile_seconds,
                            eager_step_seconds=eager_step_seconds,
                            compiled_step_seconds=compiled_step_seconds)
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with atomic_write(self.path, 'w') as f:
                json.dump(entries, f, indent=2, sort_keys=True)
        except OSError:
            pass


def measurement_key(model_name: str, device: torch.device, precision: str,
                    channels_last: bool, mode: Optional[str] = None) -> str:
    """The key of a model's measurements: the model, the device's name,
    the precision, the layout, the torch version and the compile mode
    (``'max-autotune'`` compiles far longer than the default)."""
    name = (torch.cuda.get_device_name(device) if device.type == 'cuda'
            else device.type)
    parts = [model_name, name, precision, 'nhwc' if channels_last else 'nchw', torch.__version__]
    return '|'.join(parts + ([mode] if mode else []))


class TrialStep:
    """A forward and backward pass of ``classifier`` on one batch, as the
    run's step makes it (autocast, layout), that changes nothing: the
    gradients are cleared and BatchNorm's statistics and the random
    generators restored.

    Args:
        classifier (torch.nn.Module): ``(x, t) -> loss``.
        x (torch.Tensor), t (torch.Tensor): the batch.
        precision (str): as ``fit``'s option.
    """

    def __init__(self, classifier: torch.nn.Module, x: torch.Tensor, t: torch.Tensor,
                 precision: str):
        self.classifier, self.x, self.t = classifier, x, t
        self.dtype = PRECISIONS[precision]

    def __call__(self, evaluate: bool = False) -> float:
        """Seconds of one training pass (and, with ``evaluate``, one
        evaluation-mode forward pass)."""
        buffers = {k: v.clone() for k, v in self.classifier.state_dict().items()}
        devices = [self.x.device] if self.x.device.type == 'cuda' else []
        start = time.perf_counter()
        with torch.random.fork_rng(devices=devices):
            with torch.autocast(self.x.device.type, dtype=self.dtype,
                                enabled=self.dtype is not None):
                loss = self.classifier(self.x, self.t)
            loss.backward()
            if evaluate:
                with using_config('train', False), torch.no_grad():
                    self.classifier(self.x, self.t)
            float(loss.detach())     # wait for the device
        seconds = time.perf_counter() - start
        for param in self.classifier.parameters():
            param.grad = None
        self.classifier.load_state_dict(buffers)
        return seconds

    def best_of(self, repeats: int) -> float:
        """The shortest of ``repeats`` passes (after one warm-up pass)."""
        self()
        return min(self() for _ in range(repeats))


def _uncompile(module):
    # nn.Module.compile keeps the compiled call here; without it the module
    # calls its forward again.
    module._compiled_call_impl = None


def choose(config: Dict[str, Any], predictor: torch.nn.Module, trial: TrialStep,
           iterations: int, device: torch.device, distributed: bool,
           say: Callable[[str], None] = print,
           measurements: Optional[Measurements] = None) -> None:
    """Decide whether the run compiles ``predictor`` (see the module's
    docstring), compile it if so, set ``config['compile']`` to the
    decision and ``say`` it with its reason.

    Args:
        config (dict): the run's options (``compile`` ``None``: decide;
            ``True``/``False``: forced); ``model``, ``precision`` and
            ``channels_last`` name the measurements.
        predictor: the network the classifier of ``trial`` calls.
        trial (TrialStep): a step of the run's shape.
        iterations (int): the run's length.
        device (torch.device): where it trains.
        distributed (bool): a data-parallel run (ranks must agree, so it
            compiles only when forced).
        say (callable): prints a line (rank 0's ``print``).
        measurements (Measurements): this machine's figures.
    """
    forced = config['compile']
    if forced is False:
        say('compile: off (--no-compile)')
        return
    if forced is None and distributed:
        config['compile'] = False
        say('compile: off (a data-parallel run compiles only with --compile)')
        return
    measurements = measurements or Measurements()
    eager_step = trial.best_of(1)
    mode = 'max-autotune' if device.type == 'cuda' and eager_step < SMALL_STEP_SECONDS else None
    key = measurement_key(config['model'] or type(predictor).__name__, device,
                          config['precision'], config['channels_last'], mode)
    if forced is None:
        pays, reason = decide(iterations, eager_step, measurements.estimate(key, device))
        if not pays:
            config['compile'] = False
            say('compile: off ({})'.format(reason))
            return
    else:
        reason = '--compile'
    try:
        predictor.compile(mode=mode)   # in place: the state_dict keys stay
        first = trial(evaluate=True)
    except Exception as error:     # any backend failure: the run goes on eagerly
        _uncompile(predictor)
        config['compile'] = False
        warnings.warn('torch.compile failed on this platform ({}: {}); training eagerly.'.format(
            type(error).__name__, str(error).strip().splitlines()[0] if str(error) else ''),
            stacklevel=2)
        return
    compiled_step = trial.best_of(1)
    measurements.record(key, max(first - compiled_step, 0.), eager_step, compiled_step)
    if forced is None and compiled_step >= eager_step:
        _uncompile(predictor)
        config['compile'] = False
        say('compile: off (compiled, the step took {:.0f} ms against {:.0f} ms eagerly; '
            'recorded for the next run)'.format(compiled_step * 1e3, eager_step * 1e3))
        return
    config['compile'] = True
    say('compile: on ({}; compiled in {}, step {:.0f} ms against {:.0f} ms eagerly{})'.format(
        reason, _duration(first), compiled_step * 1e3, eager_step * 1e3,
        ", mode 'max-autotune'" if mode else ''))
