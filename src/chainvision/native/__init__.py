"""Native CPU kernels: the C sources in this folder, compiled on first use
with the machine's C compiler into chainvision's cache folder and loaded
with :mod:`ctypes`.

Why: on the CPU, PyTorch makes one pass over memory per operation, and its
bfloat16 elementwise and BatchNorm kernels run no faster than its float32
ones.  A kernel here fuses what a ConvNet does between two convolutions
(BatchNorm, residual addition, ReLU) into the fewest passes, at memory
speed (``benchmarks/RESULTS.md``).

A kernel is used only where it runs: Linux on x86-64 with AVX-512 (F and
BW), PyTorch built with OpenMP (the kernels run on its threads: the library
is linked to the OpenMP runtime PyTorch loaded, so that both share one pool
of threads), and a C compiler (``$CC``, else ``cc``).  Elsewhere, or with
``CHAINVISION_NATIVE=0``, :func:`library` returns ``None`` and callers use
PyTorch's operations (the same results within rounding, only slower);
:func:`unavailable_reason` says why.  ``chainvision info`` prints it.

A library is built once per source, compiler and flags, written atomically
(processes that build it at once each write their own file, and the last
rename wins), and reused by later processes.
"""

import ctypes
import functools
import glob
import hashlib
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import warnings

import torch

from chainvision.utils.cache_dir import get_cache_dir

_HERE = os.path.dirname(os.path.abspath(__file__))

# The OpenMP runtimes PyTorch ships or links (GNU, Intel, LLVM); the latter
# two also implement GNU's entry points, which GCC's code calls.
_OPENMP_RUNTIMES = ('libgomp', 'libiomp5', 'libomp')


# Each kernel library (the C source's name) and what it computes.
KERNELS = {'batch_norm': 'BatchNorm-add-ReLU', 'max_pooling': 'max pooling of few channels'}


def library(name):
    """The compiled kernel library ``name`` (``'batch_norm'`` for
    ``batch_norm.c``, ``'max_pooling'`` for ``max_pooling.c``), or ``None``
    where it cannot run here (:func:`unavailable_reason`)."""
    return _load(name)[0]


def unavailable_reason(name):
    """Why :func:`library` gives ``None`` for ``name``, in words, or
    ``None`` when the library is loaded."""
    return _load(name)[1]


# The storage types the kernels take, by the suffix of their entry points.
STORAGE_TYPES = {torch.float32: 'f32', torch.bfloat16: 'bf16'}


@functools.lru_cache(maxsize=None)
def entry_points(name, forward_argtypes, backward_argtypes):
    """``{'f32': (forward, backward), 'bf16': (forward, backward)}``: the
    functions ``cv_<name>_forward_<type>`` and ``cv_<name>_backward_<type>``
    of the library ``name``, prototyped with these ctypes argument types
    (each returns an int status, 0 for success); ``None`` where the library
    does not run here."""
    lib = library(name)
    if lib is None:
        return None
    functions = {}
    for storage in STORAGE_TYPES.values():
        pair = []
        for step, argtypes in (('forward', forward_argtypes), ('backward', backward_argtypes)):
            function = getattr(lib, 'cv_{}_{}_{}'.format(name, step, storage))
            function.argtypes, function.restype = argtypes, ctypes.c_int
            pair.append(function)
        functions[storage] = tuple(pair)
    return functions


def takes(t):
    """Whether a kernel may read ``t``'s memory: a plain CPU tensor (not a
    subclass such as a FakeTensor, nor wrapped by a ``torch.func``
    transform) outside graph capture (``torch.compile`` and tracing cannot
    see into a kernel's call)."""
    if torch.compiler.is_compiling() or torch.jit.is_tracing():
        return False
    return (type(t) in (torch.Tensor, torch.nn.Parameter) and t.device.type == 'cpu'
            and not torch._C._functorch.is_functorch_wrapped_tensor(t))


@functools.lru_cache(maxsize=None)
def _load(name):
    reason = _unsupported_reason()
    if reason is not None:
        return None, reason
    try:
        path = _build(name, _compiler(), _flags(), _openmp_runtime())
        return ctypes.CDLL(path), None
    except (OSError, subprocess.CalledProcessError) as error:
        reason = 'building {}.c failed: {}'.format(name, _describe(error))
        warnings.warn('chainvision.native: {}; PyTorch\'s operations are used instead (correct, '
                      'slower). Set CHAINVISION_NATIVE=0 to skip the native kernels.'.format(
                          reason), RuntimeWarning, stacklevel=3)
        return None, reason


def _unsupported_reason():
    if os.environ.get('CHAINVISION_NATIVE', '1') == '0':
        return 'switched off by CHAINVISION_NATIVE=0'
    if not sys.platform.startswith('linux') or platform.machine() != 'x86_64':
        return 'the kernels are for Linux on x86-64 (this is {} on {})'.format(
            sys.platform, platform.machine())
    missing = {'avx512f', 'avx512bw'} - _cpu_flags()
    if missing:
        return 'this CPU lacks {}'.format(', '.join(sorted(missing)))
    if 'ATen parallel backend: OpenMP' not in torch.__config__.parallel_info():
        return 'this PyTorch does not use OpenMP for its threads'
    if _openmp_runtime() is None:
        return 'no OpenMP runtime is loaded with PyTorch'
    if _compiler_path() is None:
        return 'no C compiler ({!r}) on the PATH; install gcc or clang, or set $CC'.format(
            _compiler()[0])
    return None


@functools.lru_cache(maxsize=None)
def _cpu_flags():
    """The CPU's feature flags (``/proc/cpuinfo``)."""
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('flags'):
                    return frozenset(line.split(':', 1)[1].split())
    except OSError:
        pass
    return frozenset()


def _flags():
    flags = ['-O3', '-mavx512f', '-mavx512bw', '-mfma', '-fPIC', '-fopenmp']
    if 'avx512_bf16' in _cpu_flags():
        flags.append('-mavx512bf16')
    return flags


def _compiler():
    return shlex.split(os.environ.get('CC') or 'cc')


def _compiler_path():
    return shutil.which(_compiler()[0])


@functools.lru_cache(maxsize=None)
def _openmp_runtime():
    """The path of the OpenMP runtime loaded in this process (PyTorch's), or
    ``None``."""
    try:
        with open('/proc/self/maps') as f:
            paths = {line.split()[-1] for line in f if '/' in line}
    except OSError:
        return None
    runtimes = [path for path in paths
                if os.path.basename(path).startswith(_OPENMP_RUNTIMES) and '.so' in path]
    # PyTorch's own first, should another library have loaded a second one.
    torch_folder = os.path.dirname(torch.__file__)
    runtimes.sort(key=lambda path: (not path.startswith(torch_folder), path))
    return runtimes[0] if runtimes else None


def _build(name, compiler, flags, openmp_runtime):
    """Compile ``name.c`` (unless built before) and return the library's path."""
    source = os.path.join(_HERE, name + '.c')
    code = b''
    # The headers the sources share are part of every library's key.
    for path in [source] + sorted(glob.glob(os.path.join(_HERE, '*.h'))):
        with open(path, 'rb') as f:
            code += f.read() + b'\0'
    version = subprocess.run(compiler + ['--version'], capture_output=True, text=True,
                             check=True).stdout.splitlines()[0]
    key = hashlib.sha256(b'\0'.join([code, ' '.join(compiler + flags).encode(), version.encode(),
                                     os.path.basename(openmp_runtime).encode()])).hexdigest()
    folder = os.path.join(get_cache_dir(), 'native')
    path = os.path.join(folder, '{}-{}.so'.format(name, key[:16]))
    if os.path.exists(path):
        return path
    os.makedirs(folder, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as work:
        obj = os.path.join(work, name + '.o')
        built = os.path.join(work, name + '.so')
        # Compiled with -fopenmp but linked to PyTorch's runtime rather than
        # the compiler's own, which would start a second pool of threads.
        _run(compiler + flags + ['-c', source, '-o', obj])
        _run(compiler + ['-shared', obj, openmp_runtime, '-o', built])
        os.replace(built, path)
    return path


def _run(command):
    subprocess.run(command, capture_output=True, text=True, check=True)


def _describe(error):
    if isinstance(error, subprocess.CalledProcessError):
        output = (error.stderr or error.stdout or '').strip().splitlines()
        return '{} exited with {}{}'.format(
            os.path.basename(error.cmd[0]), error.returncode,
            ': ' + output[-1] if output else '')
    return str(error)
