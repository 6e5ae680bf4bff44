"""Entry point of the ``chainvision`` command.

Each sub-command lives in its own module of this package, which defines
``register(subparsers)``: it adds its parser and sets ``func`` (called with
the parsed arguments; its return value is the exit status).

Every failure a user can meet ends in one line on stderr,
``chainvision: error: <what was wrong>; <what to do>``, never a traceback:

- exit status 2: a usage error (a bad flag or option value, an unknown
  model, dataset or recipe: ``ValueError``, ``TypeError`` and ``KeyError``);
- exit status 1: a runtime failure (a missing or damaged file, a full disk,
  a busy run folder, a diverged run);
- exit status 130: Ctrl-C, with the command that resumes the run;
- exit status 141: the reader of the output went away (``... | head``),
  quietly, as a program killed by SIGPIPE.

``--debug`` (any command) or ``CHAINVISION_DEBUG=1`` shows the traceback.
Warnings (images skipped or resized, a cache rebuilt) are one line each too,
``chainvision: warning: ...``.  Every command takes ``--threads N``
(PyTorch's CPU threads).
"""

import argparse
import errno
import importlib
import os
import sys
import warnings

import torch

import chainvision
from chainvision.app import options
from chainvision.serializers import UnreadableFileError
from chainvision.training import distributed

# Modules of chainvision.cli, in the order their commands appear in --help.
COMMANDS = ('info', 'models', 'summary', 'train', 'eval', 'predict', 'export', 'convert',
            'reproduce', 'bench', 'show_augment')

# What to do about a failed write, by errno.
_WRITE_ADVICE = {errno.ENOSPC: 'free some space', errno.EDQUOT: 'free some space',
                 errno.EROFS: 'choose a folder you can write to',
                 errno.EACCES: 'choose a folder you can write to',
                 errno.EPERM: 'choose a folder you can write to'}


class UsageError(Exception):
    """A command line ``argparse`` refused; the message ends with where to
    read the usage."""


class _Parser(argparse.ArgumentParser):
    """``argparse`` with a one-line error instead of the usage text, and
    ``--debug`` on every command (sub-parsers are made of this class too)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_argument('--debug', action='store_true', default=argparse.SUPPRESS,
                          help='show the traceback of an error (also CHAINVISION_DEBUG=1)')

    def error(self, message):
        raise UsageError('{}; see {} --help'.format(message, self.prog))


def build_parser():
    """Return the ``argparse`` parser with every sub-command registered;
    each has ``--debug``, and ``--threads`` unless it declares its own."""
    parser = _Parser(
        prog='chainvision',
        description='ConvNets the Chainer way, on PyTorch: models, datasets, training.')
    parser.add_argument('--version', action='version',
                        version='chainvision {}'.format(chainvision.__version__))
    subparsers = parser.add_subparsers(dest='command', metavar='COMMAND')
    for name in COMMANDS:
        importlib.import_module('chainvision.cli.' + name).register(subparsers)
    for command in subparsers.choices.values():
        try:
            options.add_shared_arguments(command, ('threads',))
        except argparse.ArgumentError:
            pass   # the command has its own --threads (train: a run option)
    return parser


def main(argv=None):
    """Run the command line; returns the exit status (see the module doc)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    debug = '--debug' in argv or os.environ.get('CHAINVISION_DEBUG', '') not in ('', '0')
    args = None
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 0
        if getattr(args, 'threads', None):
            torch.set_num_threads(args.threads)
        with warnings.catch_warnings():
            if not debug:
                warnings.showwarning = _show_warning
            return args.func(args) or 0
    except KeyboardInterrupt as interrupt:
        if debug:
            raise
        if distributed.rank_from_environment() == 0:
            print('chainvision: interrupted{}'.format(': {}'.format(interrupt) if str(interrupt)
                                                      else ''), file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 141
    except UsageError as error:
        if debug:
            raise
        _report(str(error))
        return 2
    except Exception as error:   # every failure gets its one line
        if debug:
            raise
        _report(describe(error, getattr(args, 'command', None)))
        return 2 if is_usage_error(error) else 1


def is_usage_error(error):
    """Whether ``error`` is about what the user typed (exit status 2): a
    ``ValueError``, ``TypeError`` or ``KeyError`` (an unknown name), except
    a file that cannot be read."""
    return (isinstance(error, (ValueError, TypeError, KeyError))
            and not isinstance(error, UnreadableFileError))


def describe(error, command=None):
    """The one-line ``<what was wrong>; <what to do>`` for ``error``, raised
    while running the sub-command ``command``."""
    if isinstance(error, OSError) and error.filename is not None:
        advice = _WRITE_ADVICE.get(error.errno, 'check the path')
        return '{}: {}; {}'.format(error.filename, error.strerror, advice)
    text = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
    line = '; '.join(part.strip().rstrip('.') for part in text.splitlines() if part.strip())
    if ';' not in line and '. ' in line:
        # "Unknown model 'x'. Did you mean: ...?": the second sentence says what to do.
        what, to_do = line.split('. ', 1)
        line = '{}; {}'.format(what, to_do[:1].lower() + to_do[1:])
    if not isinstance(error, (ValueError, TypeError, KeyError, OSError, RuntimeError)):
        return ('internal error ({}: {}); run again with --debug to see the traceback, and '
                'please report it'.format(type(error).__name__, line))
    if is_usage_error(error) and ';' not in line:
        line += '; see {} --help'.format(' '.join(['chainvision'] + ([command] if command else [])))
    return line


def _show_warning(message, category, filename, lineno, file=None, line=None):
    print('chainvision: warning: {}'.format(message), file=sys.stderr)


def _report(line):
    print('chainvision: error: {}'.format(line), file=sys.stderr)


def _silence_stdout():
    # Python would report the closed pipe again when it flushes stdout at
    # exit: point the descriptor at /dev/null first.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == '__main__':
    sys.exit(main())
