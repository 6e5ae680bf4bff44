"""Saving and restoring the random generators (Python, NumPy, PyTorch) in a
trainer snapshot, as plain arrays (no pickle), so a resumed run draws the
same random numbers as one never interrupted.  Chainer does not save them;
its loader ignores these extra keys."""

import random
import warnings

import numpy
import torch

from chainvision import serializer as serializer_module


def _python_state():
    version, internal, gauss_next = random.getstate()
    return (numpy.asarray(version, numpy.int64), numpy.asarray(internal, numpy.int64),
            numpy.asarray(numpy.nan if gauss_next is None else gauss_next, numpy.float64))


def _set_python_state(version, internal, gauss_next):
    gauss_next = float(gauss_next)
    random.setstate((int(version), tuple(int(x) for x in internal),
                     None if numpy.isnan(gauss_next) else gauss_next))


def _numpy_state():
    _, keys, pos, has_gauss, cached = numpy.random.get_state()
    return keys, numpy.asarray(pos), numpy.asarray(has_gauss), numpy.asarray(cached)


def _set_numpy_state(keys, pos, has_gauss, cached):
    numpy.random.set_state(('MT19937', numpy.asarray(keys, numpy.uint32), int(pos),
                            int(has_gauss), float(cached)))


_NAMES = {
    'python': ('python_version', 'python_state', 'python_gauss_next'),
    'numpy': ('numpy_keys', 'numpy_pos', 'numpy_has_gauss', 'numpy_cached_gaussian'),
}


def serialize_random_states(serializer):
    """Save or load the Python, NumPy, PyTorch CPU and (when present) CUDA
    generator states under ``serializer``; a snapshot without them (e.g.
    one written by Chainer) leaves the generators as they are, with a
    warning."""
    if isinstance(serializer, serializer_module.Serializer):
        for name, value in zip(_NAMES['python'], _python_state()):
            serializer(name, value)
        for name, value in zip(_NAMES['numpy'], _numpy_state()):
            serializer(name, value)
        serializer('torch', torch.get_rng_state())
        if torch.cuda.is_available() and torch.cuda.is_initialized():
            serializer('torch_cuda', torch.stack(torch.cuda.get_rng_state_all()))
            serializer('torch_cuda_current', numpy.asarray(torch.cuda.current_device()))
        return
    try:
        python = [serializer(name, None) for name in _NAMES['python']]
        numpy_state = [serializer(name, None) for name in _NAMES['numpy']]
        torch_state = serializer('torch', None)
    except KeyError:
        warnings.warn('The snapshot holds no random generator states (it was not written by '
                      'chainvision): the resumed run draws different random numbers.')
        return
    _set_python_state(*python)
    _set_numpy_state(*numpy_state)
    torch.set_rng_state(torch.as_tensor(numpy.asarray(torch_state), dtype=torch.uint8))
    _load_cuda_states(serializer)


def _load_cuda_states(serializer):
    """Each device's saved state back to it, and the device that drew at
    saving (the saving process's current device) to this process's current
    device: the ranks of a distributed run each draw from their own device
    (``cuda:LOCAL_RANK``) alike, and only rank 0 writes the snapshot."""
    try:
        cuda_states = serializer('torch_cuda', None)
    except KeyError:
        return
    if not torch.cuda.is_available():
        return
    try:
        drawing = int(serializer('torch_cuda_current', None))
    except KeyError:     # written before the key existed: by a process on cuda:0
        drawing = 0
    states = [torch.as_tensor(numpy.asarray(state), dtype=torch.uint8) for state in cuda_states]
    if len(states) != torch.cuda.device_count():
        warnings.warn('The snapshot holds the random states of {} CUDA devices, this machine has '
                      '{}: this process\'s device resumes its stream, others draw anew.'.format(
                          len(states), torch.cuda.device_count()))
    for index, state in enumerate(states[:torch.cuda.device_count()]):
        torch.cuda.set_rng_state(state, index)
    torch.cuda.set_rng_state(states[drawing], torch.cuda.current_device())
