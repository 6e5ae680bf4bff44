"""Print how much of Chainer 7.8.1's public API chainvision provides.

    python tools/chainer_api_coverage.py

reads the list of Chainer's public names (``docs/chainer-7.8.1-public-names.txt``,
written by ``tools/list_chainer_names.py`` from the real Chainer) and the
names deliberately left out with their reasons (``docs/chainer-api-left-out.tsv``),
looks each name up in chainvision at the same path (``chainer.functions.relu``
-> ``chainvision.functions.relu``), writes the table to
``docs/chainer-api-coverage.md`` and prints the totals.

A name is *provided* when chainvision has it and the left-out table does not
list it, or lists it as ``not-yet`` (then the row is stale and the run says to
remove it).  A name listed under any other category counts as left out even
when chainvision has it: that is how a placeholder that does not compute what
Chainer computes is recorded.  The run fails (exit status 1) when a name is
missing without a reason, or when the table names something Chainer does not
have.
"""

import collections
import importlib
import pathlib
import sys

DOCS = pathlib.Path(__file__).resolve().parent.parent / 'docs'
NAMES_FILE = DOCS / 'chainer-7.8.1-public-names.txt'
LEFT_OUT_FILE = DOCS / 'chainer-api-left-out.tsv'
TABLE_FILE = DOCS / 'chainer-api-coverage.md'

# What each reason category in the left-out table means, in the table's order.
CATEGORIES = collections.OrderedDict([
    ('rnn-nlp', 'recurrent and language models: out of scope'),
    ('cupy-chainerx', 'exists for CuPy, ChainerX, iDeep or cuDNN; chainvision runs on PyTorch'),
    ('torch-native', 'PyTorch provides the mechanism; Chainer code calling it must change'),
    ('internal', "Chainer's implementation module, not an API users call"),
    ('unsafe', 'unpickles files, which can run code; chainvision never unpickles'),
    ('other-framework', 'wraps a framework chainvision does not run on'),
    ('not-yet', 'not provided yet'),
])


def read_names(path=NAMES_FILE):
    """``[(chainer name, kind)]`` from the committed list."""
    rows = []
    for line in path.read_text().splitlines():
        if line and not line.startswith('#'):
            name, kind = line.split('\t')
            rows.append((name, kind))
    return rows


def read_left_out(path=LEFT_OUT_FILE):
    """``{chainer name: (category, reason)}`` from the committed table."""
    left_out = {}
    for line in path.read_text().splitlines()[1:]:
        if line:
            name, category, reason = line.split('\t')
            if category not in CATEGORIES:
                raise ValueError('{}: unknown category {!r}'.format(name, category))
            left_out[name] = (category, reason)
    return left_out


def chainvision_has(name, kind):
    """Whether ``chainer.a.b`` exists as ``chainvision.a.b``."""
    path = 'chainvision' + name[len('chainer'):]
    namespace, attribute = path.rsplit('.', 1)
    if kind == 'module':  # `import chainer.x` or `from chainer import x`
        try:
            importlib.import_module(path)
            return True
        except ImportError:
            pass
    try:
        return hasattr(importlib.import_module(namespace), attribute)
    except ImportError:
        return False


def coverage():
    """``(rows, problems, stale)``: rows are ``(name, kind, status, reason)``
    with status ``provided`` or a category; problems are error messages;
    stale lists the ``not-yet`` rows of names chainvision now has."""
    names = read_names()
    left_out = read_left_out()
    rows, problems, stale = [], [], []
    for name, kind in names:
        category, reason = left_out.get(name, ('not-yet', None))
        if category == 'not-yet' and chainvision_has(name, kind):
            rows.append((name, kind, 'provided', ''))
            if reason is not None:
                stale.append(name)
        elif reason is not None:
            rows.append((name, kind, category, reason))
        else:
            problems.append('{} is missing and has no reason in {}'.format(name, LEFT_OUT_FILE.name))
    known = {name for name, _ in names}
    problems += ['{} is in {} but not in Chainer'.format(name, LEFT_OUT_FILE.name)
                 for name in left_out if name not in known]
    return rows, problems, stale


def totals(rows):
    """``{status: count}`` in the order provided, then the categories."""
    counts = collections.Counter(status for _, _, status, _ in rows)
    return collections.OrderedDict(
        (status, counts[status]) for status in ['provided', *CATEGORIES] if counts[status])


def namespace_of(name):
    return name.rsplit('.', 1)[0]


def markdown(rows):
    """The coverage table: totals, then one section per Chainer namespace."""
    counts = totals(rows)
    lines = ['# Chainer 7.8.1 public API in chainvision', '',
             'Written by `python tools/chainer_api_coverage.py`; names from '
             '`docs/chainer-7.8.1-public-names.txt`, reasons from `docs/chainer-api-left-out.tsv`.',
             '', '| status | names | meaning |', '| --- | ---: | --- |']
    meanings = dict(CATEGORIES, provided='exists in chainvision at the same path, with Chainer\'s semantics')
    lines += ['| {} | {} | {} |'.format(s, n, meanings[s]) for s, n in counts.items()]
    lines += ['| total | {} | |'.format(len(rows))]
    by_namespace = collections.OrderedDict()
    for row in rows:
        by_namespace.setdefault(namespace_of(row[0]), []).append(row)
    for namespace, group in by_namespace.items():
        provided = sum(status == 'provided' for _, _, status, _ in group)
        lines += ['', '## `{}`: {} of {} provided'.format(namespace, provided, len(group)), '',
                  '| name | kind | status | reason |', '| --- | --- | --- | --- |']
        lines += ['| `{}` | {} | {} | {} |'.format(name.rsplit('.', 1)[1], kind, status, reason)
                  for name, kind, status, reason in group]
    return '\n'.join(lines) + '\n'


def main():
    rows, problems, stale = coverage()
    TABLE_FILE.write_text(markdown(rows))
    counts = totals(rows)
    print('Chainer 7.8.1 public names: {}'.format(len(rows) + len(problems)))
    for status, count in counts.items():
        print('  {:<16}{:>5}'.format(status, count))
    print('table written to {}'.format(TABLE_FILE))
    for name in stale:
        print('note: {} is provided now; remove its row from {}'.format(name, LEFT_OUT_FILE.name))
    for problem in problems:
        print('error: ' + problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
