import warnings

import pytest

import chainvision
from chainvision import utils


def test_experimental_warns_unless_disabled(monkeypatch):
    with pytest.warns(FutureWarning, match='my_api is experimental'):
        utils.experimental('my_api')
    monkeypatch.setattr(chainvision, 'disable_experimental_feature_warning', True, raising=False)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        utils.experimental('my_api')
