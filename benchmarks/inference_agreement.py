"""How far ``model.predict``'s fast inference form is from the plain fp32
forward: on the CIFAR-10 test set with a trained ResNet-20 (top-1 agreement
of the fp32 and bf16 forms with the plain forward), and for ResNet-50 the
largest output difference on real images (CIFAR-10 test images upscaled
to 224x224, bilinear, with ImageNet's normalisation).

ResNet-50 takes published weights with ``--resnet50-weights FILE`` (a
torchvision ``.pth`` state dict); without them its weights are random and
its BatchNorm statistics those of 64 other upscaled test images (one
training-mode pass with decay 0), so its activations have a trained
network's scale, though not its meaning.  bf16 is measured wherever it
runs; on a CPU without native bf16 it is emulated (correct, slow).

Run (not a timing: any machine, any load):

    CHAINVISION_DATASET_ROOT=../shared/data python benchmarks/inference_agreement.py \\
        --run runs/resnet20-cifar10 --threads 1

Figures: benchmarks/RESULTS.md.
"""

import argparse

import torch
import torch.nn.functional as torch_f

import chainvision
from chainvision import datasets, models
from chainvision.backend import as_tensor
from chainvision.app import checkpoint as checkpoint_module
from chainvision.datasets.loader import augment

IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)


def plain_logits(network, x, batch_size):
    """The plain forward in inference mode, fp32, batch by batch."""
    with chainvision.using_config('train', False), torch.no_grad():
        return torch.cat([network(x[i:i + batch_size]) for i in range(0, len(x), batch_size)])


def fast_logits(network, x, precision, batch_size):
    """``models.infer`` (what ``predict`` runs) batch by batch."""
    return torch.cat([models.infer(network, x[i:i + batch_size], precision)
                      for i in range(0, len(x), batch_size)])


def compare(name, reference, logits):
    """One line: top-1 agreement with the reference logits, the largest
    logit difference (absolute and relative to the largest logit) and the
    largest probability difference."""
    agree = int((logits.argmax(1) == reference.argmax(1)).sum())
    difference = (logits - reference).abs().max()
    probabilities = (torch.softmax(logits, 1) - torch.softmax(reference, 1)).abs().max()
    return ('{:<28} top-1 agreement {}/{} ({:.2%}); largest logit difference {:.3g} '
            '({:.2e} of the largest logit); largest probability difference {:.3g}'.format(
                name, agree, len(reference), agree / len(reference), float(difference),
                float(difference / reference.abs().max()), float(probabilities)))


def resnet20_agreement(run, batch_size):
    """Lines for a trained ResNet-20 run on the CIFAR-10 test set."""
    checkpoint = checkpoint_module.load_checkpoint(run)
    network = checkpoint_module.model_from_checkpoint(checkpoint)
    images, labels = datasets.load_arrays('cifar10', 'test')
    x = augment.normalize(as_tensor(images), checkpoint['mean'], checkpoint['std'])
    labels = as_tensor(labels)
    reference = plain_logits(network, x, batch_size)
    lines = ['{} ({}) on CIFAR-10 test ({} images): plain fp32 forward accuracy {:.2%}'.format(
        checkpoint['model'], run, len(labels), float((reference.argmax(1) == labels).float()
                                                     .mean()))]
    for precision in ('fp32', 'bf16'):
        logits = fast_logits(network, x, precision, batch_size)
        lines.append(compare('predict form, {}'.format(precision), reference, logits)
                     + '; accuracy {:.2%}'.format(float((logits.argmax(1) == labels)
                                                        .float().mean())))
    return lines


def upscaled_cifar10(start, count, size=224):
    """CIFAR-10 test images ``start:start + count`` upscaled (bilinear) to
    ``size``, normalised with ImageNet's mean and std."""
    images, _ = datasets.load_arrays('cifar10', 'test')
    x = as_tensor(images[start:start + count]).float()
    x = torch_f.interpolate(x, size=(size, size), mode='bilinear', align_corners=False)
    return augment.normalize(x, IMAGENET_MEAN, IMAGENET_STD)


def resnet50_agreement(weights, count, batch_size):
    """Lines for ResNet-50 on ``count`` upscaled CIFAR-10 test images."""
    if weights:
        network = models.create('resnet50', pretrained=weights)
        source = weights
    else:
        torch.manual_seed(0)
        network = models.create('resnet50')
        batch_norms = [link for link in network.modules()
                       if isinstance(link, chainvision.links.BatchNormalization)]
        for link in batch_norms:
            link.decay = 0.
        with torch.no_grad():
            network(upscaled_cifar10(count, 64))
        for link in batch_norms:
            link.decay = 0.9
        source = 'random weights, BatchNorm statistics of 64 other test images'
    x = upscaled_cifar10(0, count)
    reference = plain_logits(network, x, batch_size)
    lines = ['resnet50 ({}) on {} CIFAR-10 test images upscaled to 224x224:'.format(source,
                                                                                   count)]
    for precision in ('fp32', 'bf16'):
        lines.append(compare('predict form, {}'.format(precision), reference,
                             fast_logits(network, x, precision, batch_size)))
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--run', help='a trained ResNet-20 run folder or checkpoint')
    parser.add_argument('--resnet50-weights', help="torchvision's resnet50 .pth (optional)")
    parser.add_argument('--resnet50-images', type=int, default=64)
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--threads', type=int, help="CPU threads (default: PyTorch's)")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    lines = resnet20_agreement(args.run, args.batch_size * 32) if args.run else []
    if args.resnet50_images:
        lines += resnet50_agreement(args.resnet50_weights, args.resnet50_images,
                                    args.batch_size)
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
