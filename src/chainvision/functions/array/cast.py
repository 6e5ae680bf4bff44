"""Changing the dtype of an array."""

from chainvision.backend import as_tensor, torch_dtype


def cast(x, typ):
    """Return ``x`` converted to ``typ`` (a NumPy dtype, its name, or a
    ``torch.dtype``); ``x`` itself when it already has that dtype.  Gradients
    flow back as the input's dtype."""
    x = as_tensor(x)
    return x.to(torch_dtype(typ))
