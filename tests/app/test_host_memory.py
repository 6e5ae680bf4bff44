import os
import subprocess
import sys

import pytest

from chainvision.app import host_memory

LINUX_GLIBC = host_memory.on_glibc()

# Allocates and frees a 64 MiB tensor seven times and prints the page faults
# of the last four: a kept heap serves them from pages already mapped (the
# first ones grow it, around what else the process allocates meanwhile).
FAULTS_OF_REPEATED_ALLOCATIONS = '''
import resource, sys, torch
from chainvision.app.host_memory import keep_freed_host_memory
print(keep_freed_host_memory())
for _ in range(3):
    torch.empty(16 * 2 ** 20).fill_(1.)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(4):
    torch.empty(16 * 2 ** 20).fill_(1.)
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
'''


def _faults(**environ):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith('MALLOC_') and k not in ('GLIBC_TUNABLES', 'LD_PRELOAD')}
    out = subprocess.run([sys.executable, '-c', FAULTS_OF_REPEATED_ALLOCATIONS], check=True,
                         capture_output=True, text=True, env=dict(env, **environ)).stdout
    kept, faults = out.split()
    return kept == 'True', int(faults)


@pytest.mark.skipif(not LINUX_GLIBC, reason='mallopt is glibc\'s')
def test_freed_memory_is_reused_without_page_faults():
    pages = 4 * 64 * 2 ** 20 // 4096
    kept, faults = _faults()
    assert kept and faults < pages / 100
    # Opted out: glibc maps each 64 MiB block afresh, every page faults.
    kept, faults = _faults(**{host_memory.OPT_OUT: '0'})
    assert not kept and faults > pages / 2


@pytest.mark.parametrize('environ, applies', [
    ({}, True),
    ({host_memory.OPT_OUT: '1'}, True),
    ({host_memory.OPT_OUT: '0'}, False),
    ({'MALLOC_MMAP_THRESHOLD_': '65536'}, False),  # the user configured malloc
    ({'MALLOC_ARENA_MAX': '2'}, False),
    ({'GLIBC_TUNABLES': 'glibc.malloc.trim_threshold=0'}, False),
    ({'LD_PRELOAD': '/usr/lib/libjemalloc.so.2'}, False),
])
@pytest.mark.skipif(not LINUX_GLIBC, reason='mallopt is glibc\'s')
def test_a_configured_allocator_is_left_alone(environ, applies):
    assert host_memory._applies(environ) is applies


def test_a_fit_run_keeps_freed_host_memory_before_it_loads_its_data(monkeypatch, tmp_path):
    import chainvision
    from chainvision.app import bench, data
    calls = []
    monkeypatch.setattr('chainvision.app.run.keep_freed_host_memory', lambda: calls.append('kept'))
    load_data = data.load_data
    monkeypatch.setattr(data, 'load_data', lambda *args: calls.append('load') or load_data(*args))
    chainvision.fit('lenet5', {'train': bench.synthetic_data((1, 28, 28), 32)}, out=str(tmp_path),
                    iterations=1, batch_size=16, val_split=0, device='cpu', progress=False)
    assert calls == ['kept', 'load']
