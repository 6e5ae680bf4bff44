"""Export parity: the largest difference between chainvision's fp32 logits
and those of each exported file run by its own runtime (onnxruntime,
``torch.jit.load``, ``torch.export.load``), relative to the largest logit,
for every CIFAR-sized zoo model and one ImageNet network per family at
64x64; printed as a Markdown table.

    python benchmarks/export_parity.py [MODEL ...] [--threads 1]

Measured (docs/export-parity.md, 2 shared CPU cores): onnxruntime within
8.9e-6 of the largest logit (ResNet-1202; 3.9e-6 for every other model),
TorchScript and torch.export exactly equal.

Random weights (seed 0), BatchNorm statistics set from 8 images of random
pixels (as a trained network's are), then 3 other images, dynamic batch
(exported at batch 2, run at 3), normalisation mean 0.45 and std 0.22.

Why logits and set statistics: with random weights and BatchNorm's initial
statistics (mean 0, variance 1) the deeper networks' logits grow with
depth (ResNet-44: 670, ResNet-56: 21000, ResNet-110: 1.3e8, ResNet-1202
overflows), so their softmax is one-hot and a difference of probabilities
(ResNet-44's 1.7e-31) says nothing about the graph.  The probability graph
adds one softmax, which moves no probability by more than half the largest
change of a logit (its Jacobian's rows sum to at most 2 p (1 - p) <= 1/2 in
absolute value).
"""

import argparse
import tempfile
import time
import warnings

import onnxruntime
import torch

from chainvision import models
from chainvision.app.export import export
from chainvision.app.inference import InferenceModel
from chainvision.configuration import using_config

IMAGENET_AT_64 = ('resnet50', 'densenet121', 'googlenet')
FORMATS = ('onnx', 'torchscript', 'pt2')


def run_file(path, format, pixels):
    if format == 'onnx':
        session = onnxruntime.InferenceSession(path, providers=['CPUExecutionProvider'])
        return torch.from_numpy(session.run(None, {'pixels': pixels.numpy()})[0])
    if format == 'torchscript':
        return torch.jit.load(path)(pixels)
    return torch.export.load(path).module()(pixels)


def set_batch_norm_statistics(model, pixels):
    """Every BatchNorm's running mean and variance set to those of its
    input for ``pixels`` (one training-mode pass with decay 0)."""
    batch_norms = [link for link in model.links() if hasattr(link, 'avg_var')]
    decays = [link.decay for link in batch_norms]
    for link in batch_norms:
        link.decay = 0.
    with torch.no_grad(), using_config('train', True):
        model.train().logits(pixels)
    for link, decay in zip(batch_norms, decays):
        link.decay = decay
    model.eval()


def parity(name, folder):
    """The Markdown cells of ``name``'s row: the largest logit, then per
    format the relative difference and the export time."""
    torch.manual_seed(0)
    shape = models.info(name).input_size
    if name in IMAGENET_AT_64:
        shape = (shape[0], 64, 64)
    model = InferenceModel(models.create(name), [0.45] * shape[0], [0.22] * shape[0],
                           input_shape=shape).eval()
    set_batch_norm_statistics(model, torch.randint(0, 256, (8,) + shape, dtype=torch.uint8))
    pixels = torch.randint(0, 256, (3,) + shape, dtype=torch.uint8)
    with torch.no_grad(), using_config('train', False):
        expected = model.logits(pixels)
    scale = float(expected.abs().max())
    row = ['{:.3g}'.format(scale)]
    for format in FORMATS:
        path = '{}/{}.{}'.format(folder, name, format)
        start = time.perf_counter()
        export(model, path, format, dynamic_batch=True, logits=True)
        seconds = time.perf_counter() - start
        with torch.no_grad():
            got = run_file(path, format, pixels.float())
        row.append('{:.1e} ({:.0f} s)'.format(float((got - expected).abs().max()) / scale,
                                              seconds))
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('names', nargs='*', metavar='MODEL',
                        help='zoo models (default: every CIFAR-sized one and '
                             + ', '.join(IMAGENET_AT_64) + ' at 64x64)')
    parser.add_argument('--threads', type=int, default=torch.get_num_threads())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    warnings.simplefilter('ignore')
    names = args.names or [n for n in models.names() if models.info(n).input_size[1] <= 32] + list(
        IMAGENET_AT_64)
    print('| model | largest logit | ' + ' | '.join(
        '{} (export time)'.format(f) for f in FORMATS) + ' |')
    print('| --- ' * (len(FORMATS) + 2) + '|')
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            print('| {} | {} |'.format(name, ' | '.join(parity(name, folder))), flush=True)


if __name__ == '__main__':
    main()
