"""Numerical gradients and the check of autograd against them
(Chainer's ``chainer.gradient_check``).

``check_backward`` compares the gradient that autograd computes with a
central finite difference, along one random direction in the space of all
checked inputs and parameters, so that a check costs two (or five) calls of
the function whatever the number of elements.  Use float64 inputs: float32
differences are too coarse for the default tolerances.
"""

import numpy
import torch

from chainvision.backend import as_tensor, torch_dtype


class NondifferentiableError(Exception):
    """The function is not differentiable at the point where a numerical
    gradient was asked for (raised only with ``detect_nondifferentiable``)."""


def _as_tuple(x):
    if isinstance(x, (tuple, list)):
        return tuple(x)
    return (x,)


def _outputs(f):
    return tuple(None if y is None else as_tensor(y).detach().to(torch.float64).clone()
                 for y in _as_tuple(f()))


def _check_differentiable(yss, i_in, index, eps, diff_atol, diff_rtol):
    """Fit a parabola through the five samples of every output element;
    a kink (or a jump to/from inf) leaves a fitting error."""
    for i_out, samples in enumerate(zip(*yss)):
        if samples[0] is None or samples[0].numel() == 0:
            continue
        stacked = torch.stack(samples).reshape(len(samples), -1).cpu().numpy()
        finite = numpy.isfinite(stacked)
        where = 'input {} at index {}, output {}, eps={}'.format(i_in, index, i_out, eps)
        if (finite != finite[:1]).any():
            raise NondifferentiableError(
                'The output jumps between finite and non-finite values near {}; the '
                'function is not differentiable there.\nsamples at x + eps * '
                '[-1, -.5, 0, .5, 1]:\n{}'.format(where, stacked))
        if not finite.all():
            continue
        _, (residuals, _, _, _) = numpy.polynomial.polynomial.polyfit(
            numpy.arange(len(samples)), stacked, deg=2, full=True)
        error = numpy.sqrt(residuals / len(samples))
        spread = stacked.max(axis=0) - stacked.min(axis=0)
        bad = (error > diff_atol + diff_rtol * spread) & (spread > 0)
        if bad.any():
            raise NondifferentiableError(
                'The function is not differentiable near {}: fitting errors {} exceed '
                'diff_atol + diff_rtol * (ymax - ymin) = {}.\nsamples at x + eps * '
                '[-1, -.5, 0, .5, 1]:\n{}'.format(
                    where, error[bad], (diff_atol + diff_rtol * spread)[bad], stacked))


def numerical_grad(f, inputs, grad_outputs, eps=1e-3, detect_nondifferentiable=False,
                   diff_atol=0, diff_rtol=1e-2):
    """Gradient of ``sum(f() * grad_outputs)`` w.r.t. ``inputs`` by central
    differences, as Chainer's ``numerical_grad``.

    Args:
        f: a callable without arguments that reads ``inputs`` and returns an
            array or a tuple of arrays (tensors or NumPy arrays).
        inputs (tuple): float arrays (tensors or NumPy arrays).  Each element
            is moved by ``+-eps`` in place and restored afterwards.
        grad_outputs (tuple): one array (or ``None`` to leave that output
            out) per output of ``f``; a scalar stands for a constant array.
        eps (float): the finite-difference step.
        detect_nondifferentiable (bool): also evaluate at ``+-eps/2`` and
            raise :class:`NondifferentiableError` where a parabola does not
            fit the five samples (within ``diff_atol + diff_rtol * (ymax -
            ymin)``); the gradient then uses the fourth-order stencil.
        diff_atol, diff_rtol (float): tolerances of that fit.

    Returns:
        tuple of float64 ``torch.Tensor``, one per input, shaped like it.
    """
    if eps <= 0:
        raise ValueError('numerical_grad: eps must be positive, got {}.'.format(eps))
    inputs = tuple(inputs)
    for x in inputs:
        if not as_tensor(x).is_floating_point():
            raise ValueError('numerical_grad: inputs must be float arrays, got dtype {}.'.format(
                x.dtype))
    gys = tuple(None if g is None else as_tensor(g).to(torch.float64) for g in grad_outputs)
    offsets = (-1., -.5, 0., .5, 1.) if detect_nondifferentiable else (-1., 1.)
    center = _outputs(f) if detect_nondifferentiable else None
    grads = []
    with torch.no_grad():
        for i_in, x in enumerate(inputs):
            grad = torch.zeros(tuple(x.shape), dtype=torch.float64)
            for index in numpy.ndindex(*x.shape):
                original = x[index].item()
                yss = []
                for offset in offsets:
                    if offset == 0:
                        yss.append(center)
                        continue
                    x[index] = original + offset * eps
                    yss.append(_outputs(f))
                    x[index] = original
                if detect_nondifferentiable:
                    _check_differentiable(yss, i_in, index, eps, diff_atol, diff_rtol)
                grad[index] = _central_difference(yss, gys, eps)
            grads.append(grad.to(as_tensor(x).device))
    return tuple(grads)


def _central_difference(yss, gys, eps):
    if len(yss) == 2:
        weights, scale = (-1., 1.), 2 * eps
    else:
        # Five-point stencil with step eps / 2.
        weights, scale = (1., -8., 0., 8., -1.), 6 * eps
    total = 0.
    for i_out, gy in enumerate(gys):
        if gy is None:
            continue
        difference = sum(w * ys[i_out] for w, ys in zip(weights, yss) if w)
        total += float((difference * gy.to(difference.device)).sum())
    return total / scale


def _prepare_grad_outputs(ys, y_grad):
    if y_grad is None:
        if len(ys) != 1 or ys[0].numel() != 1:
            raise ValueError('check_backward: y_grad is None, so func must return one scalar; '
                             'it returned shapes {}.'.format([tuple(y.shape) for y in ys]))
        return (torch.ones_like(ys[0]),)
    gys = _as_tuple(y_grad)
    if len(gys) != len(ys):
        raise ValueError('check_backward: func returned {} outputs but y_grad has {}.'.format(
            len(ys), len(gys)))
    gys = tuple(None if g is None else as_tensor(g, y).to(y.dtype) for g, y in zip(gys, ys))
    for g, y in zip(gys, ys):
        if g is not None and g.shape != y.shape:
            raise ValueError('check_backward: y_grad of shape {} for an output of shape {}.'.format(
                tuple(g.shape), tuple(y.shape)))
    return gys


def _backward_gradients(func, xs, checked, params, y_grad):
    inputs = [x.detach().clone().requires_grad_(c) for x, c in zip(xs, checked)]
    ys = _as_tuple(func(*inputs))
    if not all(isinstance(y, torch.Tensor) for y in ys):
        raise TypeError('check_backward: func must return a tensor or a tuple of tensors, got '
                        '{}.'.format([type(y).__name__ for y in ys]))
    gys = _prepare_grad_outputs(ys, y_grad)
    pairs = [(y, g) for y, g in zip(ys, gys) if g is not None and y.requires_grad]
    targets = [x for x, c in zip(inputs, checked) if c] + list(params)
    if not pairs:
        return [torch.zeros_like(t) for t in targets], gys
    grads = torch.autograd.grad([y for y, _ in pairs], targets, [g for _, g in pairs],
                                allow_unused=True)
    return [torch.zeros_like(t) if g is None else g for g, t in zip(grads, targets)], gys


def _random_directions(targets):
    directions = [torch.randn(tuple(t.shape), dtype=torch.float64) for t in targets]
    norm = torch.sqrt(sum((d * d).sum() for d in directions))
    return [(d / norm).to(t.device) for d, t in zip(directions, targets)]


def check_backward(func, x_data, y_grad, params=(), eps=1e-3, atol=1e-5, rtol=1e-4,
                   no_grads=None, dtype=None, detect_nondifferentiable=False):
    """Assert that autograd's gradient of ``func`` matches a numerical one
    (Chainer's ``check_backward``).

    Args:
        func: callable taking the inputs as tensors and returning a tensor or
            a tuple of tensors.
        x_data: an array or a tuple of arrays (NumPy or tensors); they are
            copied, never modified.
        y_grad: an array or tuple of arrays, one per output (``None`` to skip
            an output), or ``None`` when ``func`` returns a single scalar.
        params: ``torch.nn.Parameter`` objects that ``func`` uses; their
            gradients are checked too (their ``.grad`` is left untouched).
        eps (float): finite-difference step.
        atol, rtol (float): tolerances of the comparison.
        no_grads (list of bool or None): per input, True to leave it out of
            the check; default: leave out exactly the non-float inputs.
        dtype: if given, the numerical gradient is computed with inputs and
            parameters cast to this float dtype (e.g. ``numpy.float64``).
        detect_nondifferentiable (bool): raise
            :class:`NondifferentiableError` if ``func`` has a kink near the
            inputs (see :func:`numerical_grad`).

    Raises:
        AssertionError: with both gradients, the direction and the inputs
            when they differ by more than ``atol + rtol * |numerical|``.

    Both gradients are projected on one random unit direction in the
    space of all checked inputs and parameters, as in Chainer.
    """
    params = tuple(params)
    xs = tuple(as_tensor(x, params[0] if params else None) for x in _as_tuple(x_data))
    if no_grads is None:
        no_grads = [not x.is_floating_point() for x in xs]
    if len(no_grads) != len(xs):
        raise ValueError('check_backward: no_grads has {} entries for {} inputs.'.format(
            len(no_grads), len(xs)))
    for x, skip in zip(xs, no_grads):
        if not skip and not x.is_floating_point():
            raise ValueError('check_backward: an input of dtype {} cannot be checked; mark it '
                             'in no_grads.'.format(x.dtype))
    checked = [not skip for skip in no_grads]
    backward, gys = _backward_gradients(func, xs, checked, params, y_grad)
    targets = [x for x, c in zip(xs, checked) if c] + list(params)
    if not targets:
        return
    directions = _random_directions(targets)
    analytic = float(sum((g.to(torch.float64) * d).sum() for g, d in zip(backward, directions)))
    numeric = _numerical_directional(func, xs, checked, params, gys, directions, eps, dtype,
                                     detect_nondifferentiable)
    if abs(analytic - numeric) > atol + rtol * abs(numeric):
        raise AssertionError(
            'check_backward failed (eps={} atol={} rtol={}): the gradient along a random '
            'direction is {!r} by autograd but {!r} numerically.\ninputs: {}\ngrad_outputs: {}\n'
            'directions: {}'.format(eps, atol, rtol, analytic, numeric,
                                    [x.tolist() if x.numel() <= 16 else tuple(x.shape)
                                     for x in xs],
                                    [g if g is None or g.numel() > 16 else g.tolist()
                                     for g in gys],
                                    [d.tolist() if d.numel() <= 16 else tuple(d.shape)
                                     for d in directions]))


def _shift(x, step, direction):
    return x + step * direction.to(x.dtype)


def _numerical_directional(func, xs, checked, params, gys, directions, eps, dtype,
                           detect_nondifferentiable):
    """The derivative of ``sum(func(x + t * d) * gy)`` w.r.t. ``t`` at 0."""
    if dtype is None:
        def cast(a):
            return a
    else:
        float_dtype = torch_dtype(dtype)

        def cast(a):  # integer inputs (labels, indices) keep their dtype
            return a.to(float_dtype) if a.is_floating_point() else a
    input_directions = iter(directions)
    moved = [next(input_directions) if c else None for c in checked]
    param_directions = list(input_directions)
    originals = [p.data for p in params]
    t = torch.zeros((), dtype=torch.float64)

    def shifted():
        step = t.item()
        inputs = [cast(x) if d is None else _shift(cast(x), step, d) for x, d in zip(xs, moved)]
        for p, original, d in zip(params, originals, param_directions):
            p.data = _shift(cast(original), step, d)
        return func(*inputs)

    try:
        grad_t, = numerical_grad(shifted, (t,), gys, eps, detect_nondifferentiable)
    finally:
        for p, original in zip(params, originals):
            p.data = original
    return float(grad_t)


def check_double_backward(func, x_data, y_grad, x_grad_grad, params=(), params_grad_grad=(),
                          eps=1e-3, atol=1e-4, rtol=1e-3, no_grads=None, dtype=None,
                          detect_nondifferentiable=False):
    """Assert that the gradient of ``func``'s gradient is right (Chainer's
    ``check_double_backward``).

    The first-order gradients of ``func`` (with respect to its float inputs
    and ``params``, given the output gradients ``y_grad``) are themselves a
    function of the inputs and of ``y_grad``; :func:`check_backward` checks
    that function, with ``x_grad_grad`` and ``params_grad_grad`` as its output
    gradients.  This checks the second order only: check the first order with
    :func:`check_backward`.

    Args:
        func, x_data, params, eps, dtype, detect_nondifferentiable: as in
            :func:`check_backward` (``y_grad`` must be given).
        y_grad: one array (or ``None``) per output of ``func``.
        x_grad_grad: one array per float input of ``func``.
        params_grad_grad: one array per parameter.
        atol, rtol (float): looser defaults than :func:`check_backward`'s, as
            second-order numerical gradients are less accurate.
        no_grads: per input of the checked function (the inputs, then the
            output gradients); default: the non-float ones.

    Raises:
        AssertionError: when the second-order gradient differs.
    """
    xs = _as_tuple(x_data)
    gys = _as_tuple(y_grad)
    params = tuple(params)
    n_x = len(xs)
    is_float = [as_tensor(x).is_floating_point() for x in xs]

    def first_order_grad(*inputs):
        # The numerical pass calls this under no_grad, with inputs that are
        # not leaves of a graph: make them so, to differentiate func once.
        with torch.enable_grad():
            inputs = [x.detach().requires_grad_() if f and not x.requires_grad else x
                      for x, f in zip(inputs[:n_x], is_float)] + list(inputs[n_x:])
            ys = _as_tuple(func(*inputs[:n_x]))
            pairs = [(y, gy.to(y.dtype)) for y, gy in zip(ys, inputs[n_x:])
                     if gy is not None and y.requires_grad]
            targets = [x for x, f in zip(inputs[:n_x], is_float) if f] + list(params)
            grads = (None,) * len(targets)
            if pairs:
                grads = torch.autograd.grad([y for y, _ in pairs], targets, [g for _, g in pairs],
                                            create_graph=True, allow_unused=True)
        return tuple(torch.zeros_like(t) if g is None else g for g, t in zip(grads, targets))

    try:
        check_backward(first_order_grad, xs + gys, _as_tuple(x_grad_grad) + tuple(params_grad_grad),
                       params=params, eps=eps, atol=atol, rtol=rtol, no_grads=no_grads,
                       dtype=dtype, detect_nondifferentiable=detect_nondifferentiable)
    except AssertionError as error:
        raise AssertionError('check_double_backward failed: the second-order gradient is '
                             'wrong.\n{}'.format(error)) from None
