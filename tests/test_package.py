"""``import chainvision`` advertises its submodules and Chainer's top-level
names in ``dir(chainvision)``; each one resolves on first use."""

import subprocess
import sys

import chainvision


def test_every_advertised_name_resolves():
    missing = []
    for name in dir(chainvision):
        try:
            getattr(chainvision, name)
        except (AttributeError, ImportError) as error:
            missing.append('{}: {}'.format(name, error))
    assert missing == []


def test_importing_chainvision_loads_no_higher_package():
    code = ('import sys, chainvision; print(sorted({m.split(".")[1] for m in sys.modules '
            'if m.startswith("chainvision.")}))')
    loaded = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                            check=True).stdout
    for package in ('app', 'cli', 'datasets', 'functions', 'links', 'models', 'training'):
        assert "'{}'".format(package) not in loaded
