"""``chainvision models``: every zoo model with its size, cost, input size,
published weights and reference."""

import fnmatch

from chainvision import models
from chainvision.models.weights import pretrained_tags
from chainvision.models.weights.tags import DEFAULT_TAGS


def format_macs(macs):
    """``4089184256`` -> ``'4.09G'``; ``None`` (unknown) -> ``'-'``."""
    if macs is None:
        return '-'
    for unit, scale in (('G', 1e9), ('M', 1e6), ('K', 1e3)):
        if macs >= scale:
            return '{:.2f}{}'.format(macs / scale, unit)
    return str(macs)


def format_shape(shape):
    """``(3, 32, 32)`` -> ``'3x32x32'``; ``None`` -> ``'-'``."""
    return '-' if shape is None else 'x'.join(str(d) for d in shape)


def render_table(headers, rows, right_aligned=()):
    """Lay ``rows`` (lists of strings) out under ``headers`` in columns as
    wide as their widest cell; columns whose index is in ``right_aligned``
    are right-aligned (numbers).  Returns the text, one line per row."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows)]

    def line(cells):
        return '  '.join(cell.rjust(w) if i in right_aligned else cell.ljust(w)
                         for i, (cell, w) in enumerate(zip(cells, widths))).rstrip()

    rule = '  '.join('-' * w for w in widths)
    return '\n'.join([line(headers), rule] + [line(row) for row in rows])


def models_table(patterns=()):
    """The table ``chainvision models`` prints, for the models whose names
    match any of the shell-style ``patterns`` (all models if none)."""
    selected = [name for name in models.names()
                if not patterns or any(fnmatch.fnmatch(name, p) for p in patterns)]
    rows = []
    for name in selected:
        info = models.info(name)
        rows.append([name, '{:,}'.format(info.params), format_macs(info.macs),
                     format_shape(info.input_size), _weights_tags(name), info.reference])
    return render_table(['model', 'params', 'MACs', 'input', 'pretrained', 'reference'], rows,
                        right_aligned=(1, 2))


def _weights_tags(name):
    # The tags' suffixes, the one 'auto' takes first: 'tv_in1k tv2_in1k ...'.
    tags = pretrained_tags(name)
    default = DEFAULT_TAGS.get(name)
    ordered = [default] * (default in tags) + [tag for tag in tags if tag != default]
    return ' '.join(tag.split('.', 1)[1] for tag in ordered) or '-'


def run(args):
    """Print the table; exit status 1 if no model matches the patterns."""
    table = models_table(args.patterns)
    if table.count('\n') < 2:
        print('No model matches {}; `chainvision models` lists them all.'.format(
            ' '.join(args.patterns)))
        return 1
    print(table)
    print('\nMACs: multiply-accumulates of convolutions and fully connected layers for one '
          'image of the input size (the papers\' "FLOPs").\npretrained: tags of published '
          'weights, for `train MODEL --pretrained MODEL.TAG` (--pretrained auto takes the first) '
          "and models.create(MODEL, pretrained='MODEL.TAG').")
    return 0


def register(subparsers):
    """Add the ``models`` sub-command."""
    parser = subparsers.add_parser(
        'models', help='list the model zoo: parameters, MACs, input size, reference',
        description='List every registered model with its parameters, multiply-accumulates '
                    'at its input size, input size and reference.')
    parser.add_argument('patterns', nargs='*', metavar='PATTERN',
                        help="only models matching these shell patterns, e.g. 'resnet*'")
    parser.set_defaults(func=run)
