"""Marking an API as experimental, as ``chainer.utils.experimental`` does."""

import warnings


def experimental(api_name):
    """Warn (``FutureWarning``) that ``api_name`` is experimental and may
    change; silenced by ``chainvision.disable_experimental_feature_warning
    = True``."""
    import chainvision
    if not getattr(chainvision, 'disable_experimental_feature_warning', False):
        warnings.warn('{} is experimental. The interface can change in the future.'.format(
            api_name), FutureWarning, stacklevel=2)
