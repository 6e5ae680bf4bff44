"""Training recipes: the published ones, as named presets, and each model's
sensible default.

A recipe is a dict of :func:`chainvision.fit` options.  The order in which
options are resolved (later wins) is::

    the options table's defaults  <  default_options(model, dataset)  <  recipe  <  explicit options

Schedule milestones are *fractions of the run* (``0.5`` = half way), so a
recipe shortened with ``budget`` keeps its shape.

Published presets:

``he2016-cifar``
    He, Zhang, Ren, Sun, "Deep Residual Learning for Image Recognition",
    CVPR 2016, section 4.2: SGD lr 0.1, momentum 0.9, weight decay 1e-4,
    batch 128, 64k iterations, lr /10 at 32k and 48k, 45k/5k train/val split,
    4-pixel padding + random 32x32 crop + horizontal flip, per-pixel mean
    subtraction; ResNet-110 warms up at lr 0.01 for the first 400 iterations.
``uva-tutorial``
    Lippe, UvA Deep Learning Tutorial 5 ("Inception, ResNet and DenseNet"):
    180 epochs, lr /10 at epochs 100 and 150, batch 128, 45k/5k split,
    horizontal flip + random-resized crop (scale 0.8-1.0, ratio 0.9-1.1) +
    mean/std normalisation, best checkpoint by validation accuracy;
    GoogLeNet and DenseNet with AdamW lr 1e-3, weight decay 1e-4; ResNet and
    pre-activation ResNet with SGD lr 0.1, momentum 0.9, weight decay 1e-4.
``speedrun-cifar10``
    Jordan, airbench94_muon (github.com/KellerJordan/cifar10-airbench, after
    arXiv:2404.00498): ``speedrun_cifar`` with its whitening layer set from
    5,000 training images, 10 epochs at batch 2000 on all 50,000 training
    images (airbench94_muon trains 8; the CPU's 20-minute budget buys two
    more, chosen on a validation split), Muon (lr 0.24, momentum 0.6, 3
    Newton-Schulz steps) for the convolution filters and Nesterov SGD with
    decoupled weight decay for the rest, linear decay to 0, label smoothing
    0.2, 2-pixel reflect-padded translations and alternating flips,
    test-time flips and 1-pixel shifts.
``lenet5-mnist``
    The README's main command (Adam, one-cycle, batch 128) run to
    convergence: 20 epochs, chosen on a validation split, on all 60,000
    training images.  ``chainvision train lenet5`` keeps its 6 epochs.
"""

import collections
from typing import Any, Dict, Optional

from chainvision.app.machine import ByMachine
from chainvision.backend import native_precision

Recipe = collections.namedtuple('Recipe', (
    'name', 'dataset', 'models', 'published', 'citation', 'checkpoint', 'options',
    'published_std', 'sets_defaults'), defaults=({}, True))
Recipe.__doc__ = """A published training recipe.

Attributes:
    name (str): the preset's name (``--recipe NAME``).
    dataset (str): the dataset it was published on.
    models (tuple of str): registry names of the models it covers, in the
        order of the paper's table.
    published (dict): model name -> published test accuracy in percent.
    citation (str): where the recipe and the figures come from.
    checkpoint (str): which weights the published figure is for: ``'last'``
        (the end of training) or ``'best'`` (best validation accuracy).
    options (callable): ``options(model_name) -> dict`` of fit options.
    published_std (dict): model name -> the standard deviation the paper
        gives with its figure, in points, where it gives one (default none).
    sets_defaults (bool): whether ``chainvision train MODEL --dataset
        DATASET`` takes these options without ``--recipe`` (default True).
"""


def _he2016_options(model_name):
    options = {
        'dataset': 'cifar10', 'optimizer': 'momentum_sgd', 'lr': 0.1, 'momentum': 0.9,
        'weight_decay': 1e-4, 'batch_size': 128, 'iterations': 64000, 'epochs': None,
        'schedule': 'multistep', 'milestones': (0.5, 0.75), 'gamma': 0.1,
        'val_split': 5000, 'augment': 'crop4,flip', 'normalize': 'pixel-mean',
        'warmup_iterations': 0,
    }
    if model_name == 'resnet110':
        # "we use 0.01 to warm up the training until the training error is below
        # 80% (about 400 iterations), and then go back to 0.1" (section 4.2).
        options.update(warmup_iterations=400, warmup_mode='constant', warmup_factor=0.1)
    return options


def _uva_options(model_name):
    options = {
        'dataset': 'cifar10', 'epochs': 180, 'iterations': None, 'batch_size': 128,
        'schedule': 'multistep', 'milestones': (100 / 180, 150 / 180), 'gamma': 0.1,
        'val_split': 5000, 'augment': 'flip,rrc0.8-1.0:0.9-1.1', 'normalize': 'mean-std',
        'warmup_iterations': 0,
    }
    if model_name in ('googlenet_cifar', 'densenet_cifar'):
        options.update(optimizer='adamw', lr=1e-3, weight_decay=1e-4, momentum=0.9)
    else:
        options.update(optimizer='momentum_sgd', lr=0.1, momentum=0.9, weight_decay=1e-4)
    return options


def _speedrun_options(model_name):
    # airbench94_muon sums its loss over the batch where fit averages it, so
    # its SGD learning rates (0.053 for the biases, 0.67 for the head) are
    # multiplied by the batch size here; Muon's update does not depend on
    # the loss's scale.  Its weight decay, 2e-6 * batch per step inside
    # Nesterov momentum 0.85, is in effect 1 / (1 - 0.85) times that on the
    # weights, which NesterovSGDW's decoupled decay applies directly.
    # 10 epochs, not airbench's 8: on a 5,000-image validation split held out
    # of the training images (seed 0, flip-shift TTA), 8 and 10 epochs gave
    # 93.72 and 93.92 %, and 10 still fit in 20 minutes on a 2-core CPU.
    batch = 2000
    return {
        'dataset': 'cifar10', 'epochs': 10, 'iterations': None, 'batch_size': batch,
        'optimizer': 'muon', 'lr': 0.053 * batch, 'momentum': 0.85,
        'weight_decay': 2e-6 * batch / (1 - 0.85),
        'param_hyperparams': {
            '/predictor/head/W': {'lr': 0.67 * batch},
            '/predictor/block*/conv*/W': {'lr': 0.24, 'momentum': 0.6, 'ns_steps': 3}},
        'schedule': 'linear', 'warmup_iterations': 0, 'label_smoothing': 0.2,
        'augment': 'crop2reflect,altflip', 'normalize': 'mean-std', 'val_split': 0,
        'patch_whitening': 5000, 'tta': 'flip-shift', 'lookahead': False,
        # bf16 autocast (BatchNorm's statistics stay fp32) where the device has
        # bf16 convolutions, NHWC activations (oneDNN's and cuDNN's fastest).
        'precision': ByMachine(native_precision, 'bf16 where native, else fp32'),
        'channels_last': True,
    }


def _lenet5_mnist_options(model_name):
    # The main command's recipe run to convergence: on a 5,000-image
    # validation split, 6, 12 and 20 epochs gave 98.76, 98.92 and 99.04 %
    # (seed 0), so 20; the final runs train on all 60,000 images.
    return dict(_MNIST_LIKE, dataset='mnist', epochs=20, val_split=0)


RECIPES = {
    'he2016-cifar': Recipe(
        name='he2016-cifar', dataset='cifar10',
        models=('resnet20', 'resnet32', 'resnet44', 'resnet56', 'resnet110'),
        # Table 6 of the paper gives test *error*: 8.75, 7.51, 7.17, 6.97, 6.43 %.
        published={'resnet20': 91.25, 'resnet32': 92.49, 'resnet44': 92.83,
                   'resnet56': 93.03, 'resnet110': 93.57},
        citation='He et al., Deep Residual Learning for Image Recognition, CVPR 2016, Table 6',
        checkpoint='last', options=_he2016_options,
        # ResNet-110's row: "6.43 (6.61 ± 0.16)", best of 5 runs (mean ± std).
        published_std={'resnet110': 0.16}),
    'uva-tutorial': Recipe(
        name='uva-tutorial', dataset='cifar10',
        models=('googlenet_cifar', 'resnet_cifar', 'preact_resnet_cifar', 'densenet_cifar'),
        published={'googlenet_cifar': 89.70, 'resnet_cifar': 91.06,
                   'preact_resnet_cifar': 91.07, 'densenet_cifar': 90.23},
        citation='Lippe, UvA Deep Learning Tutorials, Tutorial 5: Inception, ResNet and '
                 'DenseNet (results table, test accuracy)',
        checkpoint='best', options=_uva_options),
    'speedrun-cifar10': Recipe(
        name='speedrun-cifar10', dataset='cifar10', models=('speedrun_cifar',),
        published={'speedrun_cifar': 94.01},
        citation='Jordan, cifar10-airbench, airbench94_muon.py (mean of 200 runs; 2.59 s on '
                 'an A100)',
        checkpoint='last', options=_speedrun_options),
    'lenet5-mnist': Recipe(
        name='lenet5-mnist', dataset='mnist', models=('lenet5',), published={},
        citation="no figure is published for the Chainer tutorial's LeNet-5 variant (LeCun et "
                 "al. 1998 report 0.95 % test error, 99.05 % accuracy, for theirs)",
        checkpoint='last', options=_lenet5_mnist_options, sets_defaults=False),
}


def get_recipe(name: str) -> Recipe:
    """Return the :class:`Recipe` called ``name``; raises ``ValueError``
    listing the known names otherwise."""
    if name not in RECIPES:
        raise ValueError('Unknown recipe {!r}; known recipes: {}.'.format(
            name, ', '.join(sorted(RECIPES))))
    return RECIPES[name]


# The small-image defaults.  LeNet-5 keeps the Chainer tutorial's sigmoid
# activations, which SGD trains slowly; Adam with a one-cycle schedule
# reaches 98.7-98.9 % MNIST test accuracy in 6 epochs (seeds 0-2).  One CPU
# thread: the convolutions are too small to gain from two, and a second OpenMP thread
# that must wait for a busy core slows each step down several times
# (`chainvision train lenet5 --dataset mnist` on the project's 2-core CPU
# with other jobs keeping about 1.7 cores busy: 32 s with one thread,
# 3 min 15 s with `--threads 2`).
_MNIST_LIKE = {
    'epochs': 6, 'iterations': None, 'batch_size': 128, 'optimizer': 'adam',
    'lr': 0.01, 'momentum': 0.9, 'weight_decay': 0., 'schedule': 'one-cycle',
    'augment': 'none', 'normalize': 'mean-std', 'val_split': 5000, 'threads': 1,
}

# CIFAR-sized models without a published recipe: a short cosine schedule.
_CIFAR_LIKE = {
    'epochs': 30, 'iterations': None, 'batch_size': 128, 'optimizer': 'nesterov',
    'lr': 0.1, 'momentum': 0.9, 'weight_decay': 5e-4, 'schedule': 'cosine',
    'warmup_iterations': 200, 'augment': 'crop4,flip', 'normalize': 'mean-std',
    'val_split': 5000,
}

_DATASET_DEFAULTS = {
    'mnist': _MNIST_LIKE,
    'fashion_mnist': dict(_MNIST_LIKE, epochs=10),
    'cifar10': _CIFAR_LIKE,
    'cifar100': _CIFAR_LIKE,
}


def default_options(model_name: Optional[str], dataset: str) -> Dict[str, Any]:
    """The options ``chainvision train MODEL --dataset DATASET`` uses when no
    recipe and no flag says otherwise.

    Args:
        model_name (str or None): registry name of the model (``None`` for a
            user's own model).
        dataset (str): a dataset name, or a folder of class sub-folders
            or ``'arrays'`` (which get the CIFAR-like defaults without a
            validation split).

    Returns:
        dict of fit options.  ``lenet5`` on ``mnist`` is the README's main
        command: 6 epochs of Adam (lr 0.01) with a one-cycle schedule.
    """
    key = str(dataset).replace('-', '_').lower()
    # Other data (arrays, folders) gets the CIFAR-like options but no
    # validation split, whose size only the user knows.
    options = dict(_DATASET_DEFAULTS.get(key, dict(_CIFAR_LIKE, val_split=0)))
    for recipe in RECIPES.values():
        if recipe.sets_defaults and model_name in recipe.models and key == recipe.dataset:
            options.update(recipe.options(model_name))
            options.pop('dataset')
    return options
