import pytest

from chainvision.utils import argument


def _f(**kwargs):
    return argument.parse_kwargs(kwargs, ('dilate', 1), ('groups', 1),
                                 deterministic='deterministic is not supported anymore.')


def test_parse_kwargs_returns_values_and_defaults():
    assert _f(groups=3) == (1, 3)


def test_parse_kwargs_rejects_removed_and_unknown_options():
    with pytest.raises(ValueError, match='not supported anymore'):
        _f(deterministic=True)
    with pytest.raises(TypeError, match=r"_f\(\) got unexpected keyword argument\(s\) 'x', 'y'"):
        _f(y=1, x=2)
    with pytest.raises(TypeError, match='unexpected'):
        argument.assert_kwargs_empty({'a': 1})
    argument.assert_kwargs_empty({})
