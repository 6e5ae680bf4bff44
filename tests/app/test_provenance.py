"""Provenance: the machine line and the commit of the checkout."""

import subprocess

import torch

from chainvision.app import provenance


def test_machine_line_names_the_cpu_its_cores_and_torch():
    line = provenance.machine_description(torch.device('cpu'))
    assert line.startswith('CPU: ' + provenance.cpu_name())
    assert '{} cores'.format(__import__('os').cpu_count()) in line
    assert line.endswith('torch ' + torch.__version__)


def test_commit_of_a_checkout_and_outside_one(tmp_path):
    subprocess.run(['git', 'init', '-q', str(tmp_path)], check=True)
    tracked = tmp_path / 'a.py'
    tracked.write_text('x = 1\n')
    git = ['git', '-C', str(tmp_path), '-c', 'user.name=t', '-c', 'user.email=t@t']
    subprocess.run(git + ['add', 'a.py'], check=True)
    subprocess.run(git + ['commit', '-q', '-m', 'first'], check=True)
    head = subprocess.run(git + ['rev-parse', '--short=12', 'HEAD'], capture_output=True,
                          text=True, check=True).stdout.strip()
    assert provenance.source_commit(str(tracked)) == head
    tracked.write_text('x = 2\n')
    assert provenance.source_commit(str(tracked)) == head + '+changes'
    outside = tmp_path.parent / 'not-a-checkout-{}'.format(tmp_path.name)
    outside.mkdir()
    assert provenance.source_commit(str(outside / 'b.py')) == 'unknown'
