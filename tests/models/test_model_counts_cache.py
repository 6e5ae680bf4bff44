"""The zoo's parameter and MAC counts are counted once per version of the
sources and then read from the cache folder (``chainvision models`` in
well under two seconds)."""

import json
import time

import pytest

import chainvision
from chainvision import models
from chainvision.models import _counts_cache, _registry


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv('CHAINVISION_CACHE_DIR', str(tmp_path))
    _registry._measure.cache_clear()
    yield tmp_path
    _registry._measure.cache_clear()


def _counting_forbidden(monkeypatch):
    def fail(entry):
        raise AssertionError('counted {} again'.format(entry.builder.__name__))
    monkeypatch.setattr(_registry, '_count', fail)


def test_counts_are_saved_keyed_by_the_sources_and_read_back(cache_dir, monkeypatch):
    assert models.info('resnet20').params == 269722
    saved = json.loads((cache_dir / _counts_cache.FILE_NAME).read_text())
    assert saved['key'] == _counts_cache.source_key()
    assert saved['key'].startswith(chainvision.__version__ + ' ')
    assert saved['counts']['resnet20'] == [269722, 40551040]
    _registry._measure.cache_clear()
    _counting_forbidden(monkeypatch)
    info = models.info('resnet20')
    assert (info.params, info.macs) == (269722, 40551040)


def test_other_sources_count_again(cache_dir, monkeypatch):
    models.info('lenet5')
    _registry._measure.cache_clear()
    monkeypatch.setattr(_counts_cache, 'source_key', lambda: '0.0.0 another')
    counted = []
    count = _registry._count
    monkeypatch.setattr(_registry, '_count', lambda entry: counted.append(1) or count(entry))
    assert models.info('lenet5').params == 44426 and counted == [1]
    assert json.loads((cache_dir / _counts_cache.FILE_NAME).read_text())['key'] == \
        '0.0.0 another'


def test_a_users_model_is_counted_every_time(cache_dir):
    import chainvision.links as L

    def tiny_users_model():
        return L.Linear(3, 2)
    tiny_users_model.__module__ = 'my_project.models'
    models.register(tiny_users_model, input_size=(1, 1, 3))
    try:
        assert models.info('tiny_users_model').params == 8
        assert not (cache_dir / _counts_cache.FILE_NAME).exists()
    finally:
        del _registry._BUILDERS['tiny_users_model']


def test_the_models_table_reads_every_count_from_the_cache(cache_dir, monkeypatch):
    from chainvision.cli.models import models_table
    saved = {name: [1000 + i, 10 ** 6 + i] for i, name in enumerate(models.names())}
    (cache_dir / _counts_cache.FILE_NAME).write_text(json.dumps(
        {'key': _counts_cache.source_key(), 'counts': saved}))
    _counting_forbidden(monkeypatch)
    start = time.process_time()
    table = models_table()
    assert time.process_time() - start < 0.5
    assert '1,000' in table and len(table.splitlines()) == len(saved) + 2
