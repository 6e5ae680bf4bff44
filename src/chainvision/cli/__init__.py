"""The ``chainvision`` command line: one module per sub-command."""
