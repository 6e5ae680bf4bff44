"""The identity function."""

from chainvision.backend import as_tensors


def identity(*inputs):
    """Return the inputs as tensors: one tensor for one input, else a tuple."""
    outputs = as_tensors(*inputs)
    return outputs[0] if len(outputs) == 1 else outputs
