import numpy
import pytest
import torch

import chainvision.functions as F
import chainvision.links as L
from chainvision.reporter import Reporter


def _data():
    x = torch.randn(6, 4)
    t = torch.tensor([0, 1, 2, 0, 1, 2])
    return x, t


def _report(classifier, *args, **kwargs):
    reporter = Reporter()
    reporter.add_observer('main', classifier)
    observation = {}
    with reporter.scope(observation):
        loss = classifier(*args, **kwargs)
    return loss, observation


def test_classifier_returns_softmax_cross_entropy_and_reports_loss_and_accuracy():
    predictor = L.Linear(4, 3)
    classifier = L.Classifier(predictor)
    x, t = _data()
    loss, observation = _report(classifier, x, t)
    y = predictor(x)
    expected = torch.nn.functional.cross_entropy(y, t)
    assert torch.allclose(loss, expected)
    assert torch.equal(classifier.y, y)
    assert classifier.loss is loss
    assert classifier.accuracy.item() == pytest.approx((y.argmax(1) == t).float().mean().item())
    assert set(observation) == {'main/loss', 'main/accuracy'}
    assert observation['main/loss'].grad_fn is None
    assert observation['main/loss'].item() == pytest.approx(expected.item())


def test_classifier_params_live_under_predictor_and_get_gradients():
    classifier = L.Classifier(L.Linear(4, 3))
    classifier(*_data()).backward()
    assert [name for name, _ in classifier.namedparams()] == ['/predictor/W', '/predictor/b']
    assert all(p.grad is not None for p in classifier.params())


def test_classifier_without_accuracy_reports_only_loss():
    classifier = L.Classifier(L.Linear(4, 3))
    classifier.compute_accuracy = False
    _, observation = _report(classifier, *_data())
    assert set(observation) == {'main/loss'}
    assert classifier.accuracy is None


def test_classifier_label_key_position_and_keyword():
    def predictor(a, b):
        return a + b

    x, t = _data()
    by_position = L.Classifier(predictor, label_key=0)
    by_keyword = L.Classifier(predictor, label_key='label')
    reference = F.softmax_cross_entropy(x + x, t)
    assert torch.allclose(by_position(t, x, x), reference)
    assert torch.allclose(by_keyword(x, b=x, label=t), reference)


def test_classifier_custom_loss_and_accuracy_functions():
    classifier = L.Classifier(lambda x: x, lossfun=lambda y, t: ((y - t) ** 2).mean(),
                              accfun=lambda y, t: torch.tensor(0.25))
    _, observation = _report(classifier, torch.ones(2), torch.zeros(2))
    assert observation['main/loss'].item() == 1.0
    assert observation['main/accuracy'].item() == 0.25


def test_classifier_bad_label_key_errors():
    with pytest.raises(TypeError, match='label_key must be'):
        L.Classifier(L.Linear(4, 3), label_key=1.0)
    x, t = _data()
    with pytest.raises(ValueError, match='out of bounds'):
        L.Classifier(L.Linear(4, 3), label_key=2)(x, t)
    with pytest.raises(ValueError, match="'t' is not among"):
        L.Classifier(L.Linear(4, 3), label_key='t')(x, y=t)


def test_classifier_accepts_numpy_inputs():
    classifier = L.Classifier(L.Linear(4, 3))
    loss = classifier(numpy.ones((2, 4), numpy.float32), numpy.array([0, 2]))
    assert loss.ndim == 0 and torch.isfinite(loss)
