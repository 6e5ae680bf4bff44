"""Writes the reference files of tests/serializers/data with real Chainer 7.8.1.

Run by hand, from the repository root, in an environment that has Chainer:
    python tests/serializers/data/make_chainer_files.py tests/serializers/data
The tests only read the files; they never import Chainer.
"""
import os
import sys

import chainer
import chainer.functions
import chainer.links as L
import numpy as np
from chainer import iterators, optimizers, serializers, training
from chainer.training import extensions

# The tests' network (chainer_net.py, written with chainvision) built by real
# Chainer: its imports resolve to Chainer's modules of the same names.
sys.modules.update({'chainvision': chainer, 'chainvision.functions': chainer.functions,
                    'chainvision.links': chainer.links})
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from chainer_net import Net  # noqa: E402


out = sys.argv[1]
rng = np.random.RandomState(0)
x = rng.rand(8, 1, 6, 6).astype(np.float32)
t = rng.randint(0, 3, 8).astype(np.int32)


def train(iterations):
    """One trainer run from the same seed: MomentumSGD + WeightDecay, lr halved
    after every iteration."""
    np.random.seed(1)
    model = L.Classifier(Net())
    opt = optimizers.MomentumSGD(lr=0.1).setup(model)
    opt.add_hook(chainer.optimizer_hooks.WeightDecay(1e-3))
    it = iterators.SerialIterator(chainer.datasets.TupleDataset(x, t), 4, shuffle=False)
    updater = training.updaters.StandardUpdater(it, opt)
    trainer = training.Trainer(updater, (iterations, 'iteration'), out=out)
    trainer.extend(extensions.ExponentialShift('lr', 0.5), trigger=(1, 'iteration'))
    trainer.extend(extensions.LogReport(trigger=(1, 'iteration')))
    trainer.run()
    return trainer, model


trainer, model = train(1)
serializers.save_npz(os.path.join(out, 'chainer_model.npz'), model.predictor)
serializers.save_hdf5(os.path.join(out, 'chainer_model.h5'), model.predictor)  # needs h5py
serializers.save_npz(os.path.join(out, 'chainer_trainer_snapshot.npz'), trainer)
with chainer.using_config('train', False):
    y = model.predictor(x).array
np.savez(os.path.join(out, 'chainer_reference.npz'), x=x, t=t, y_eval=y)
_, model2 = train(2)  # what the snapshot must continue to
serializers.save_npz(os.path.join(out, 'chainer_model_iter2.npz'), model2.predictor)
os.remove(os.path.join(out, 'log'))  # the LogReport's JSON file is not needed

lazy = chainer.Chain()
with lazy.init_scope():
    lazy.fc = L.Linear(None, 3)  # W stays uninitialized: saved as a pickled None
serializers.save_npz(os.path.join(out, 'chainer_uninitialized.npz'), lazy)
serializers.save_hdf5(os.path.join(out, 'chainer_uninitialized.h5'), lazy)
