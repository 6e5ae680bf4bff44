"""How fast a model trains and predicts on this machine, against plain
PyTorch: what ``chainvision bench`` and the scripts in ``benchmarks/``
print.

Every table starts with this machine's measured matrix-multiply rate in
fp32 and bf16 (:func:`gemm_rate`) and gives, for each row, the fraction of
that rate it reaches (images/s times the model's FLOPs per image), so that
figures from different machines compare.  A second line gives the rate
of a compute-bound 3x3 convolution (:func:`conv_rate`): where the BLAS
behind the GEMM is not the convolutions' library (MKL on AMD CPUs), it is
the rate a ConvNet can reach, and its bf16/fp32 ratio is the most bf16 can
gain.  The rows run interleaved, in rounds, and each row's best round
counts: the other rounds lost time to other processes, which never make a
step faster.

The training side of chainvision is :func:`fit_round`: a run of
``chainvision.fit`` with the plain command's defaults, stepped as ``fit``
steps it (input pipeline, guard, reporter and extensions included), its
steps timed one by one.  The peers are :func:`plain_training_step`, the
training step the PyTorch tutorials write, fp32 NCHW and again in the
precision and layout the run uses, so the second ratio shows what is ours
beyond precision; they run in a process of their own
(:func:`peer_process`), with PyTorch's defaults.
"""

import contextlib
import dataclasses
import math
import os
import statistics
import tempfile
import time
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import numpy
import torch
from torch.utils._python_dispatch import TorchDispatchMode

from chainvision import backend
from chainvision.app import options as options_module
from chainvision.app.fit import cpu_threads
from chainvision.app.run import Run
from chainvision.app.workers import worker_pool
from chainvision.backend import PRECISIONS
from chainvision.configuration import using_config
from chainvision.training.distributed import DistributedContext

GEMM_SIZE = 2048


def gemm_rate(dtype: torch.dtype, device: torch.device, size: int = GEMM_SIZE,
              seconds: float = 0.5) -> float:
    """FLOP/s of ``size x size`` matrix products in ``dtype`` on ``device``
    (the best of repeated timings over about ``seconds``)."""
    a = torch.randn(size, size, device=device).to(dtype)
    b = torch.randn(size, size, device=device).to(dtype)
    return 2. * size ** 3 / _best_seconds(lambda: torch.mm(a, b), device, seconds)


def conv_rate(dtype: torch.dtype, device: torch.device, batch_size: int = 32,
              seconds: float = 0.5) -> float:
    """FLOP/s of a compute-bound 3x3 convolution in ``dtype`` on ``device``:
    128 to 128 channels on ``(batch_size, 128, 28, 28)`` channels-last
    images (ResNet-50's second stage).  Where the GEMM rate comes from a
    BLAS that is not the convolutions' (MKL on AMD CPUs runs fp32 matrix
    products at about half the speed oneDNN runs fp32 convolutions), this
    is the rate a ConvNet can reach."""
    x = torch.randn(batch_size, 128, 28, 28, device=device).to(dtype)
    weight = torch.randn(128, 128, 3, 3, device=device).to(dtype)
    x, weight = (t.contiguous(memory_format=torch.channels_last) for t in (x, weight))
    flops = 2. * batch_size * 28 * 28 * 128 * 128 * 9
    return flops / _best_seconds(lambda: torch.nn.functional.conv2d(x, weight, padding=1),
                                 device, seconds)


def _best_seconds(run: Callable[[], Any], device: torch.device, seconds: float) -> float:
    # The shortest of repeated calls over about ``seconds`` (at least one).
    best, spent = math.inf, 0.
    while spent < seconds or best == math.inf:
        _wait(device)
        start = time.perf_counter()
        run()
        _wait(device)
        elapsed = time.perf_counter() - start
        best, spent = min(best, elapsed), spent + elapsed
    return best


def _wait(device):
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


@dataclasses.dataclass
class Row:
    """One line of a table.

    Attributes:
        name (str): what ran.
        images_per_s (float): its best round.
        precision (str): the dtype its GEMM fraction is taken against.
        peer (bool): the row the ratios divide by.
    """

    name: str
    images_per_s: float
    precision: str = 'fp32'
    peer: bool = False


def format_table(title: str, rows: Sequence[Row], flops_per_image: Optional[float],
                 rates: Dict[str, float], notes: Sequence[str] = (),
                 convolution_rates: Optional[Dict[str, float]] = None) -> str:
    """The table: the GEMM rates (and the convolution rates, when given),
    then per row its images/s, the ratio to each peer row and the fraction
    of the GEMM rate of its precision."""
    peers = [row for row in rows if row.peer]
    lines = [title, 'GEMM rate here (square matmul): ' + _rates_text(rates)]
    if convolution_rates:
        lines.append('3x3 convolution rate here (128 channels, 28x28): {}; bf16 can gain at '
                     'most {:.2f}x over fp32 on this machine'.format(
                         _rates_text(convolution_rates),
                         convolution_rates['bf16'] / convolution_rates['fp32']))
    width = max(len(row.name) for row in rows)
    header = '{:<{w}}  {:>9}'.format('', 'images/s', w=width)
    header += ''.join('  {:>10}'.format('x peer {}'.format(i + 1)) for i in range(len(peers)))
    header += '  {:>11}'.format('% of GEMM') if flops_per_image else ''
    lines.append(header)
    for row in rows:
        line = '{:<{w}}  {:>9.1f}'.format(row.name, row.images_per_s, w=width)
        line += ''.join('  {:>10.2f}'.format(row.images_per_s / peer.images_per_s)
                        for peer in peers)
        if flops_per_image:
            fraction = row.images_per_s * flops_per_image / rates[_rate_key(row.precision)]
            line += '  {:>10.1%}'.format(fraction)
        lines.append(line)
    lines += ['peer {}: {}'.format(i + 1, peer.name) for i, peer in enumerate(peers)]
    return '\n'.join(lines + list(notes))


def _rates_text(rates):
    return ', '.join('{} {:.1f} GFLOP/s'.format(name, rate / 1e9) for name, rate in rates.items())


def _rate_key(precision):
    return 'bf16' if precision in ('bf16', 'fp16') else 'fp32'


def gemm_rates(device: torch.device) -> Dict[str, float]:
    """``{'fp32': FLOP/s, 'bf16': FLOP/s}`` of this machine (fp16 rows are
    compared with the bf16 rate).  Where bf16 is emulated, its rate is
    taken on 512 x 512 matrices (a 2048 one takes minutes)."""
    bf16_size = GEMM_SIZE if backend.computes_bf16_natively(device) else 512
    return {'fp32': gemm_rate(torch.float32, device),
            'bf16': gemm_rate(torch.bfloat16, device, bf16_size)}


def conv_rates(device: torch.device) -> Dict[str, float]:
    """``{'fp32': FLOP/s, 'bf16': FLOP/s}`` of :func:`conv_rate` (where bf16
    is emulated, on a batch of 1)."""
    bf16_batch = 32 if backend.computes_bf16_natively(device) else 1
    return {'fp32': conv_rate(torch.float32, device),
            'bf16': conv_rate(torch.bfloat16, device, bf16_batch)}


def plain_training_step(model: torch.nn.Module, x: torch.Tensor, t: torch.Tensor,
                        precision: str = 'fp32', channels_last: bool = False
                        ) -> Callable[[], int]:
    """The training step of the PyTorch tutorials on a fixed batch:
    ``SGD(lr=0.01, momentum=0.9, weight_decay=5e-4)``, ``cross_entropy``,
    ``zero_grad``, ``backward``, ``step``; optionally under autocast and in
    NHWC.  Returns ``step() -> images``."""
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    dtype = PRECISIONS[precision]

    def step():
        with torch.autocast(x.device.type, dtype=dtype, enabled=dtype is not None):
            loss = torch.nn.functional.cross_entropy(model(x), t)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return len(x)
    return step


@contextlib.contextmanager
def peer_process() -> Iterator[Callable[..., Any]]:
    """A fresh process for the peer rows: ``run(fn, *args)`` returns
    ``fn(*args)`` computed there (``fn`` a module-level function).  The
    peers get PyTorch's defaults as their users have them, not what ``fit``
    set for the rest of this process: it keeps freed host memory
    (:mod:`chainvision.app.host_memory`), which alone made torchvision's
    ResNet-50 inference 42% faster on this project's VM."""
    with worker_pool(1) as pool:
        yield lambda fn, *args: pool.submit(fn, *args).result()


def best_rounds(runs: Dict[str, Callable[[], float]], rounds: int) -> Dict[str, float]:
    """Run each of ``runs`` (``name -> run() -> images/s``) once per round,
    interleaved; the best images/s of each."""
    best = {name: 0. for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            best[name] = max(best[name], run())
    return best


def timed_steps(step: Callable[[], int], steps: int, device: torch.device,
                warmup: int = 2) -> float:
    """images/s of ``steps`` calls of ``step`` after ``warmup`` calls."""
    for _ in range(warmup):
        step()
    _wait(device)
    start, images = time.perf_counter(), 0
    for _ in range(steps):
        images += step()
    _wait(device)
    return images / (time.perf_counter() - start)


class HostReads(TorchDispatchMode):
    """While active (``with HostReads() as reads:``), counts in
    ``reads.count`` the operators that bring a device value to the host
    (``item()``, ``float()``, ``bool()``, ``torch.equal``) and the copies
    from a device to the CPU: the synchronisations of a step."""

    READS = {'_local_scalar_dense', 'is_nonzero', 'equal'}

    def __init__(self):
        super().__init__()
        self.count = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = func.overloadpacket.__name__
        if name == '_to_copy':      # source.to(device)
            source, target = args[0], kwargs.get('device') or args[0].device
        elif name == 'copy_':       # target.copy_(source)
            target, source = args[0].device, args[1]
        else:
            source = target = None
        to_cpu = (isinstance(source, torch.Tensor) and source.device.type != 'cpu'
                  and torch.device(target).type == 'cpu')
        if name in self.READS or to_cpu:
            self.count += 1
        return func(*args, **kwargs)


@dataclasses.dataclass
class FitSteps:
    """One round of :func:`fit_round`.

    Attributes:
        images_per_s (float): over the timed steps.
        step_seconds (float): the median step.
        quiet_overhead (float): the trainer's time between two steps where
            nothing is logged or saved (reporter, triggers, extensions), as
            a fraction of the median step.
        config (dict): the run's resolved options.
    """

    images_per_s: float
    step_seconds: float
    quiet_overhead: float
    config: Dict[str, Any]


def build_device(spec: str) -> torch.device:
    """The ``torch.device`` of a ``--device`` value (``'auto'``: CUDA when
    available)."""
    return backend.get_device(spec).torch_device


@contextlib.contextmanager
def fit_run(model: str, dataset: Any, recipe: Optional[str] = None,
            **options: Any) -> Iterator[Run]:
    """A :class:`~chainvision.app.run.Run` of ``fit(model, dataset,
    recipe=recipe, **options)`` (single process) in a temporary folder,
    built but not trained, with the run's CPU threads set while the block
    runs (the run makes this process keep its freed host memory, as in
    ``fit``)."""
    config = options_module.resolve(model, dataset, recipe, options)
    device = build_device(config['device'])
    with tempfile.TemporaryDirectory() as out, cpu_threads(config['threads'], device):
        yield Run(model, dataset, config, os.path.join(out, 'run'), False,
                  DistributedContext(), device)


def fit_round(model: str, dataset: Any, iterations: int, recipe: Optional[str] = None,
              warmup: int = 3, **options: Any) -> FitSteps:
    """Train ``model`` for ``warmup + iterations`` steps as ``fit`` does
    (the plain command's defaults unless ``options`` say otherwise) and time
    the last ``iterations`` of them one by one.  On a GPU a step's time is
    the host's (the device runs behind it) and the images/s, from their sum
    up to the last step's end on the device, the device's."""
    with fit_run(model, dataset, recipe,
                 **dict(options, iterations=warmup + iterations, progress=False)) as run:
        updater, stamps = run.trainer.updater, []
        update = updater.update

        def timed_update():
            start = time.perf_counter()
            update()
            if updater.iteration == warmup + iterations:
                # A GPU's work is queued ahead of it: waiting for the last
                # step's makes the steps' times add up to the device's.
                _wait(run.device)
            stamps.append((start, time.perf_counter(), run.log_trigger(run.trainer)
                           or run.snapshot_trigger(run.trainer)))
        updater.update = timed_update
        run.trainer.run(show_loop_exception_msg=False)
    steps = [end - start for start, end, _ in stamps[warmup:]]
    gaps = [following[0] - end for (_, end, loud), following in zip(stamps[warmup:],
                                                                    stamps[warmup + 1:])
            if not loud]
    step = statistics.median(steps)
    return FitSteps(images_per_s=run.config['batch_size'] * len(steps) / sum(steps),
                    step_seconds=step,
                    quiet_overhead=statistics.median(gaps) / step if gaps else math.nan,
                    config=run.config)


def host_reads_per_quiet_step(model: str, dataset: Any, iterations: int = 6,
                              recipe: Optional[str] = None, **options: Any) -> float:
    """The host reads (synchronisations) of the average iteration where
    nothing is logged or saved, in a short run with ``fit``'s step."""
    with fit_run(model, dataset, recipe,
                 **dict(options, iterations=iterations, progress=False)) as run:
        counts: List[Tuple[int, bool]] = []
        reads = HostReads()

        def record(trainer):
            loud = run.log_trigger(trainer) or run.snapshot_trigger(trainer)
            counts.append((reads.count, loud))
        record.priority = -10000   # type: ignore[attr-defined]
        run.trainer.extend(record, name='host_reads')
        with reads:
            run.trainer.run(show_loop_exception_msg=False)
    # The first iteration also counts what the trainer read before it.
    quiet = [now - before for (before, _), (now, loud) in zip(counts, counts[1:]) if not loud]
    return sum(quiet) / len(quiet) if quiet else math.nan


def synthetic_data(input_size: Sequence[int], examples: int, classes: int = 10,
                   seed: int = 0) -> Tuple[numpy.ndarray, numpy.ndarray]:
    """Random uint8 images ``(examples, *input_size)`` and labels."""
    rng = numpy.random.RandomState(seed)
    return (rng.randint(0, 256, (examples, *input_size)).astype(numpy.uint8),
            rng.randint(0, classes, examples).astype(numpy.int64))


def bench_train(name: str, batch_size: int = 128, iterations: int = 20, rounds: int = 3,
                device: str = 'auto') -> str:
    """The training table of the zoo model ``name`` on random images of
    its input size: ``fit`` with its defaults against the plain PyTorch
    step on the same network (fp32 NCHW, and in the run's precision and
    layout)."""
    from chainvision import models
    info = models.info(name)
    data = {'train': synthetic_data(info.input_size, batch_size * (iterations + 3))}
    fit_options = dict(batch_size=batch_size, device=device, val_split=0)
    config = options_module.resolve(name, data, None, fit_options)
    torch_device = build_device(config['device'])
    fit_results: List[FitSteps] = []

    def fit_run():
        fit_results.append(fit_round(name, data, iterations, **fit_options))
        return fit_results[-1].images_per_s

    ours = (config['precision'], config['channels_last'])
    with peer_process() as in_peer_process:
        def peer(precision, channels_last):
            return lambda: in_peer_process(_plain_round, name, batch_size, iterations,
                                           str(torch_device), precision, channels_last,
                                           torch.get_num_threads())
        best = best_rounds({'fit': fit_run, 'peer': peer('fp32', False), 'same': peer(*ours)},
                           rounds)
    layout = 'NHWC' if ours[1] else 'NCHW'
    rows = [Row('chainvision fit, defaults ({}, {})'.format(ours[0], layout), best['fit'],
                ours[0]),
            Row('plain PyTorch step, fp32 NCHW', best['peer'], 'fp32', peer=True),
            Row('plain PyTorch step, {} {}'.format(ours[0], layout), best['same'], ours[0],
                peer=True)]
    reads = host_reads_per_quiet_step(name, data, **fit_options)
    overhead = min(r.quiet_overhead for r in fit_results)
    notes = ['fit: reporter and extensions {:.2%} of a step where nothing is written; {:g} host '
             'reads per such step; compile {}'.format(overhead, reads,
                                                      fit_results[-1].config['compile']),
             'the peers step on one fixed batch (no input pipeline); fit makes every batch']
    title = '{} training, batch {}, {} ({} threads), best of {} rounds of {} steps'.format(
        name, batch_size, torch_device, torch.get_num_threads(), rounds, iterations)
    return format_table(title, rows, 6. * info.macs if info.macs else None,
                        gemm_rates(torch_device), notes, conv_rates(torch_device))


def _plain_round(name: str, batch_size: int, iterations: int, device: str, precision: str,
                 channels_last: bool, threads: int) -> float:
    """images/s of :func:`plain_training_step` on the zoo model ``name`` and
    a fixed random batch (run in the peer process)."""
    from chainvision import models
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    torch_device = torch.device(device)
    x = torch.randn(batch_size, *models.info(name).input_size, device=torch_device)
    t = torch.randint(0, 10, (batch_size,), device=torch_device)
    step = plain_training_step(models.create(name).to(torch_device), x, t, precision,
                               channels_last)
    return timed_steps(step, iterations, torch_device)


def fast_form_difference(network: torch.nn.Module, x: torch.Tensor, precision: str) -> float:
    """The largest difference between the logits of ``network``'s fast
    inference form in ``precision`` (:func:`chainvision.models.infer`) and
    those of its plain fp32 forward in inference mode, for images ``x``
    ``(N, C, H, W)``, relative to the largest plain logit's magnitude."""
    from chainvision import models
    fast = models.infer(network, x, precision)
    with torch.no_grad(), using_config('train', False):
        plain = network(x).float()
    return float((fast - plain).abs().max() / plain.abs().max())


def bench_infer(name: str, batch_size: int = 16, iterations: int = 10, rounds: int = 3,
                device: str = 'auto') -> str:
    """The inference table of the zoo model ``name``: ``model.predict``
    (its fast inference form in the precision ``'auto'`` takes here,
    whose GEMM rate its fraction is taken against) against the plain
    PyTorch eval forward (fp32 NCHW, and fp32 NHWC), on random images of
    its input size (random weights); a note gives how far the fast form's
    logits are from the plain forward's (:func:`fast_form_difference`)."""
    from chainvision import models
    info = models.info(name)
    torch_device = build_device(device)
    precision = backend.native_precision(torch_device)
    torch.manual_seed(0)
    model = models.create(name).to(torch_device).eval()
    x = torch.randn(batch_size, *info.input_size, device=torch_device)

    def predict():
        model.predict(x, precision)
        return batch_size

    def plain(channels_last):
        net = models.create(name).to(torch_device).eval()
        net.load_state_dict(model.state_dict())
        inputs = x
        if channels_last:
            net = net.to(memory_format=torch.channels_last)
            inputs = x.contiguous(memory_format=torch.channels_last)

        def forward():
            with torch.no_grad():
                torch.softmax(net(inputs), dim=1)
            return batch_size
        return lambda: timed_steps(forward, iterations, torch_device)

    best = best_rounds({'predict': lambda: timed_steps(predict, iterations, torch_device),
                        'peer': plain(False), 'nhwc': plain(True)}, rounds)
    rows = [Row('chainvision model.predict, {} NHWC'.format(precision), best['predict'],
                precision),
            Row('plain PyTorch eval forward, fp32 NCHW', best['peer'], peer=True),
            Row('plain PyTorch eval forward, fp32 NHWC', best['nhwc'], peer=True)]
    title = '{} inference, batch {}, {} ({} threads), best of {} rounds of {} batches'.format(
        name, batch_size, torch_device, torch.get_num_threads(), rounds, iterations)
    note = ('model.predict: its logits differ from the plain fp32 forward\'s by at most {:.1e} '
            'of the largest (these images, random weights)'.format(
                fast_form_difference(model, x, precision)))
    return format_table(title, rows, 2. * info.macs if info.macs else None,
                        gemm_rates(torch_device), [note], conv_rates(torch_device))
