"""Rewrite the imports of Chainer code so that it runs on chainvision.

Only import statements change, as a Chainer user porting code would change
them; the rest of each file is left byte for byte::

    import chainer                      ->  import chainvision as chainer
    import chainer as ch                ->  import chainvision as ch
    import chainer.functions as F       ->  import chainvision.functions as F
    import chainer.links                ->  import chainvision.links; import chainvision as chainer
    from chainer import testing         ->  from chainvision import testing
    from chainer.testing import attr    ->  from chainvision.testing import attr
    import chainerx                     ->  from chainvision import chainerx
    from chainer.cuda import to_cpu     ->  from chainvision.backends.cuda import to_cpu

``chainer.cuda`` is Chainer's alias of ``chainer.backends.cuda``; ``import
chainerx.<sub>`` has no counterpart and is left alone.  Used by
``run_chainer_tests.py`` and ``run_chainer_examples.py``.
"""

import pathlib
import re
import shutil

# Chainer module paths that chainvision keeps under another name.
_ALIASES = {'chainer.cuda': 'chainvision.backends.cuda'}

_IMPORT_AS = re.compile(r'^(\s*)import chainer((?:\.\w+)*) as (\w+)(.*)$')
_IMPORT = re.compile(r'^(\s*)import chainer((?:\.\w+)*)\s*(#.*)?$')
_FROM = re.compile(r'^(\s*)from chainer((?:\.\w+)*) import (.*)$')
_CHAINERX = re.compile(r'^(\s*)import chainerx\s*(#.*)?$')


def _module(dotted_tail):
    """``'.functions'`` -> ``'chainvision.functions'``, aliases applied."""
    name = 'chainer' + dotted_tail
    for chainer_name, ours in _ALIASES.items():
        if name == chainer_name or name.startswith(chainer_name + '.'):
            return ours + name[len(chainer_name):]
    return 'chainvision' + dotted_tail


def rewrite_line(line):
    """Return ``line`` with a Chainer import rewritten (other lines unchanged)."""
    match = _IMPORT_AS.match(line)
    if match:
        indent, tail, alias, rest = match.groups()
        return '{}import {} as {}{}'.format(indent, _module(tail), alias, rest)
    match = _IMPORT.match(line)
    if match:
        indent, tail, comment = match.groups()
        submodule = 'import {}; '.format(_module(tail)) if tail else ''
        return '{}{}import chainvision as chainer{}'.format(
            indent, submodule, '  ' + comment if comment else '')
    match = _FROM.match(line)
    if match:
        indent, tail, names = match.groups()
        return '{}from {} import {}'.format(indent, _module(tail), names)
    match = _CHAINERX.match(line)
    if match:
        return '{}from chainvision import chainerx'.format(match.group(1))
    return line


def rewrite_source(text):
    """Rewrite every import line of a Python source text."""
    return ''.join(rewrite_line(line.rstrip('\n')) + ('\n' if line.endswith('\n') else '')
                   for line in text.splitlines(keepends=True))


def copy_rewritten(src, dst):
    """Copy the tree ``src`` to ``dst`` (replaced if present), rewriting the
    imports of every ``.py`` file; other files are copied as they are.

    Returns:
        int: the number of Python files whose text changed.
    """
    src, dst = pathlib.Path(src), pathlib.Path(dst)
    if dst.exists():
        shutil.rmtree(dst)
    changed = 0
    for path in sorted(src.rglob('*')):
        target = dst / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == '.py':
            text = path.read_text()
            rewritten = rewrite_source(text)
            changed += rewritten != text
            target.write_text(rewritten)
        else:
            shutil.copyfile(path, target)
    return changed
