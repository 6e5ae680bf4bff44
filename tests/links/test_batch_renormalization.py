"""L.BatchRenormalization against Chainer 7.8.1 (the same link, parameters and
running statistics set by hand, one training step then inference)."""

import numpy
import torch

import chainvision
import chainvision.links as L

X = (numpy.sin(numpy.arange(5 * 3 * 2 * 2) * 0.9) * 2 + 0.3).reshape(5, 3, 2, 2).astype(
    numpy.float32)


def _link(**kwargs):
    link = L.BatchRenormalization(3, rmax=1.5, dmax=0.3, **kwargs)
    with torch.no_grad():
        link.gamma[...] = torch.tensor([1.2, 0.8, 1.0])
        link.beta[...] = torch.tensor([0.1, 0.0, -0.1])
    return link


def test_training_step_and_inference_match_chainer():
    link = _link(initial_avg_mean=numpy.array([0.1, -0.2, 0.3], numpy.float32),
                 initial_avg_var=numpy.array([0.5, 2.0, 1.0], numpy.float32))
    x = torch.tensor(X, requires_grad=True)
    y = link(x)
    (y * y).sum().backward()
    close = numpy.testing.assert_allclose
    close(y[1, 2].detach().numpy().ravel(), [-1.601959, 0.0008443519, 1.527331, 1.822286],
          rtol=1e-5, atol=1e-6)
    close(float((y * y).sum()), 120.09672, rtol=1e-5)
    close(x.grad[0, 0].numpy().ravel(), [-7.669e-06, 4.686e-05, 5.919e-05, 2.220e-05], atol=2e-6)
    close(link.avg_mean.numpy(), [0.1426805, -0.1773828, 0.326431], rtol=1e-5)
    close(link.avg_var.numpy(), [0.6539598, 1.999404, 1.100396], rtol=1e-5)
    assert torch.isfinite(link.gamma.grad).all()  # Chainer's link gives nan here
    with chainvision.using_config('train', False):
        close(link(X)[1, 2].detach().numpy().ravel(),
              [-1.557002, -0.02906211, 1.426126, 1.707304], rtol=1e-5, atol=1e-6)


def test_without_corrections_it_is_batch_normalization():
    renorm, norm = L.BatchRenormalization(3), L.BatchNormalization(3)
    torch.testing.assert_close(renorm(X), norm(X))
    torch.testing.assert_close(renorm.avg_var, norm.avg_var)
