"""``chainvision reproduce RECIPE``: train every model of a published recipe
with several seeds and put mean ± std test accuracy beside the paper's.

Runs go to ``OUT/<model>-seed<k>/``; a finished run (with ``results.json``)
is skipped and a stopped one resumed, so the command picks up where it
stopped.  ``results.md`` and ``results.png`` are rewritten after every run.
``--budget F`` runs the first fraction F of each schedule (its milestones
scaled with it), for smoke tests: those figures are not the paper's.
``--jobs N`` trains N runs at once, each in its own process (on a GPU,
several small runs fill it).  ``--publish DIR`` copies the tables, curves
and JSON logs (no checkpoint) into ``DIR``, e.g. the repository's
``results/RECIPE``.
"""

import os

from chainvision.app import options, recipes
from chainvision.app.reproduce import default_out, publish, reproduce


def register(subparsers):
    """Add the ``reproduce`` sub-command."""
    parser = subparsers.add_parser(
        'reproduce', help="run a published recipe and compare with the paper's figures",
        description=__doc__.split('\n\n')[0])
    parser.add_argument('recipe', choices=sorted(recipes.RECIPES))
    parser.add_argument('--models', nargs='+', help="models to run (default: the paper's)")
    parser.add_argument('--seeds', type=options.count_argument, default=1,
                        help='runs per model (default 1)')
    parser.add_argument('--out', help='folder of the runs and the table '
                        '(default reproduce/RECIPE[-budgetF])')
    parser.add_argument('--publish', metavar='DIR', help='copy the tables, curves and JSON '
                        'logs (not the checkpoints) into DIR')
    parser.add_argument('--jobs', type=options.count_argument, default=1,
                        help='runs trained at once, each in its own process (default 1); '
                        'several small runs fill a GPU, on the CPU they share the cores')
    options.add_shared_arguments(parser, ('budget', 'device', 'progress'))
    parser.set_defaults(func=run)


def run(args):
    """Run the recipe and print the table."""
    out = args.out or default_out(args.recipe, args.budget)
    reproduce(args.recipe, args.models, args.seeds, args.budget, out, args.device,
              args.progress, args.jobs)
    with open(os.path.join(out, 'results.md')) as f:
        print(f.read())
    print('Table: {}\nPlot:  {}'.format(os.path.join(out, 'results.md'),
                                        os.path.join(out, 'results.png')))
    if args.publish:
        print('Published {} files into {}'.format(len(publish(out, args.publish)),
                                                  args.publish))
    return 0
