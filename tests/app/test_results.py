"""A run's final evaluations: computed by the fast inference form (BatchNorm
folded, the run's precision and layout) under the run's test-time
augmentation; in fp32 they give the plain evaluation's logits and
accuracies, and the network trained is left as it was."""

import copy
import os

import numpy
import torch

import chainvision
import chainvision.links as L
from chainvision import models
from chainvision.app import metrics, options, results
from chainvision.app.run import Run
from chainvision.app.test_time_augmentation import with_test_time_augmentation
from chainvision.training.distributed import DistributedContext


class ConvBatchNormNet(chainvision.Chain):
    """conv -> BatchNorm (foldable) -> ReLU -> global average -> linear."""

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.conv = L.Convolution2D(3, 8, 3, pad=1)
            self.bn = L.BatchNormalization(8)
            self.head = L.Linear(8, 4)

    def forward(self, x):
        return self.head(chainvision.functions.relu(self.bn(self.conv(x))).mean(axis=(2, 3)))


def random_split(examples, seed):
    rng = numpy.random.RandomState(seed)
    return (rng.randint(0, 256, (examples, 3, 8, 8)).astype(numpy.uint8),
            rng.randint(0, 4, examples).astype(numpy.int64))


def train_run(tmp_path, **extra):
    """A run of ConvBatchNormNet for 6 iterations (BatchNorm's statistics
    are no longer the initial ones), not yet trained."""
    data = {'train': random_split(96, 0), 'test': random_split(40, 1)}
    config = options.resolve(None, data, None, dict(
        iterations=6, batch_size=16, val_split=16, eval_batch_size=16, device='cpu',
        compile=False, progress=False, tensorboard=False, **extra))
    torch.manual_seed(0)
    return Run(ConvBatchNormNet(), data, config, str(tmp_path / 'run'), False,
               DistributedContext(), torch.device('cpu'))


def test_fp32_final_evaluation_gives_the_plain_logits_and_accuracies(tmp_path):
    run = train_run(tmp_path, precision='fp32', tta='flip-shift')
    out = run.train()
    # The form evaluated is a folded copy; the network keeps its BatchNorm.
    form = models._inference._FORMS[run.predictor][1].network
    assert form.bn(torch.ones(1)).tolist() == [1.]
    assert run.predictor.bn.avg_var.ne(1).all()
    plain = with_test_time_augmentation(run.predictor, 'flip-shift')
    run.eval_loaders['test'].reset()
    x, _ = next(run.eval_loaders['test'])
    with chainvision.using_config('train', False), torch.no_grad():
        expected = plain(x)
    logits = results.evaluation_predictor(run)(x)
    assert (logits - expected).abs().max() <= 1e-5 * expected.abs().max()
    for split in ('val', 'test'):
        matrix = metrics.confusion_matrix(plain, run.eval_loaders[split], 4)
        assert out['{}_accuracy'.format(split)] == metrics.accuracy(matrix)
    best = run.folder.model_file('best')
    assert os.path.exists(best) and out['best_test_accuracy'] >= 0


def test_validation_runs_the_fast_form_in_the_runs_precision(tmp_path):
    run = train_run(tmp_path, precision='bf16', tta='none')
    untouched = copy.deepcopy(run.predictor)
    validation = run.trainer.get_extension('validation')
    validation(run.trainer)
    fast = validation.get_target('main').predictor
    assert isinstance(fast, models.FastInference) and fast.network is run.predictor
    assert models._inference._FORMS[run.predictor][0][-2:] == ('bf16', True)
    assert run.predictor.training
    for key, value in untouched.state_dict().items():
        assert torch.equal(run.predictor.state_dict()[key], value)
