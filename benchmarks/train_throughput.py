"""Training throughput of ``chainvision.fit``: images per second of the
training step alone (batch -> augmentation -> forward -> backward ->
update; no evaluation), for a zoo model on a dataset with a recipe.

Run:  CHAINVISION_DATASET_ROOT=../shared/data python benchmarks/train_throughput.py \\
          resnet20 cifar10 --recipe he2016-cifar --iterations 30 --threads 2

The figure it prints is ``results['images_per_s']`` of a short fit run
without validation or test split (so nothing but training is timed).
"""

import argparse
import tempfile

import torch

import chainvision
from chainvision import datasets


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('model')
    parser.add_argument('dataset')
    parser.add_argument('--recipe')
    parser.add_argument('--iterations', type=int, default=30)
    parser.add_argument('--batch-size', type=int, default=128)
    parser.add_argument('--threads', type=int, default=torch.get_num_threads())
    parser.add_argument('--device', default='cpu')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    train = datasets.load_arrays(args.dataset, 'train')
    with tempfile.TemporaryDirectory() as out:
        results = chainvision.fit(args.model, {'train': train}, out=out, recipe=args.recipe,
                                  iterations=args.iterations, batch_size=args.batch_size,
                                  val_split=0, device=args.device, progress=False)
    print('{} on {} ({} threads, batch {}, {} iterations): {:.0f} images/s'.format(
        args.model, args.dataset, args.threads, args.batch_size, args.iterations,
        results['images_per_s']))


if __name__ == '__main__':
    main()
