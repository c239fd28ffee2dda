"""The validated-rules cache: reused while the files are unchanged, rebuilt when one changes."""

import os

import pytest

from quanze.engine import loader


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.delenv("QUANZE_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "quanze"


def test_second_load_comes_from_the_cache(cache_home, rules_copy, monkeypatch):
    first = loader.load_rules(rules_copy)
    assert list(cache_home.glob("rules-*.pickle"))

    def fail(root):
        raise AssertionError("rules re-read although unchanged")

    monkeypatch.setattr(loader, "_load_rules", fail)
    second = loader.load_rules(rules_copy)
    assert second.version == first.version and second.cache == {}


def test_a_changed_file_is_read_again(cache_home, rules_copy):
    first = loader.load_rules(rules_copy)
    path = rules_copy / "params" / "xzcf.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("min: 2 ", "min: 3 "), encoding="utf-8")
    os.utime(path, ns=(1, 1))
    second = loader.load_rules(rules_copy)
    assert second.version != first.version
    assert second.params["xzcf"].versions[0].params["officers"]["min"] == 3
