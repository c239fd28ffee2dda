"""The validated-rules cache: keyed by the rules' bytes, never trusted when it could be someone else's."""

import os
import sys
from pathlib import Path

import pytest

from quanze.engine.load import loader


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.delenv("QUANZE_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(loader, "MEMO_SIZE", 0)  # the disk cache itself, not the in-process reuse
    return tmp_path / "cache" / "quanze"


def entry(cache_home):
    (path,) = cache_home.glob("rules-*.pickle")
    return path


def reads_yaml(monkeypatch):
    """Count the times the rules are read from YAML."""
    calls = []
    real = loader._load_rules

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(loader, "_load_rules", counting)
    return calls


def test_second_load_comes_from_the_cache(cache_home, rules_copy, monkeypatch):
    first = loader.load_rules(rules_copy)
    assert not first.from_cache
    assert (cache_home.stat().st_mode & 0o777) == 0o700
    assert (entry(cache_home).stat().st_mode & 0o777) == 0o600
    calls = reads_yaml(monkeypatch)
    second = loader.load_rules(rules_copy)
    assert not calls and second.from_cache
    assert second.version == first.version and dict(second.cache) == {}
    for name in loader._STORED:
        assert getattr(second, name) == getattr(first, name), name
    assert second.definitions == first.definitions and second.root == first.root


def test_rules_version_is_the_content_hash_of_the_rule_files(rules_copy):
    rules = loader.load_rules(rules_copy)
    assert rules.version == loader.content_version(rules_copy, loader.rule_files(rules_copy))
    assert rules.version == loader.load_rules(loader.default_rules_dir()).version  # same bytes, other folder


def test_same_length_edit_with_mtime_restored_changes_the_verdict(cache_home, rules_copy, runner):
    from quanze.cli.main import app

    case = str(Path(__file__).resolve().parent.parent / "cases/penalty/CF-04/fine_below_min.yaml")
    before = runner.invoke(app, ["check", case, "--rules", str(rules_copy), "--format", "json"])
    assert "FINE_BELOW_MIN" in before.stdout, before.output
    path = rules_copy / "provisions" / "jieneng" / "a76.yaml"
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("min: 50000", "min: 10000")  # same length: the lower bound of the fine
    assert edited != text and len(edited.encode()) == len(text.encode())
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = runner.invoke(app, ["check", case, "--rules", str(rules_copy), "--format", "json"])
    # the edited byte is read again: 10000 is no longer what the article text says, so the folder is refused
    assert after.exit_code == 2 and after.stdout == "" and "10000" in after.stderr, after.output


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"key": "x"}', b"\x80\x81", b"[]", b"QZP1" + b"\0" * 40])
def test_corrupt_cache_entry_is_rebuilt(cache_home, rules_copy, monkeypatch, content):
    first = loader.load_rules(rules_copy)
    path = entry(cache_home)
    path.write_bytes(content)
    calls = reads_yaml(monkeypatch)
    second = loader.load_rules(rules_copy)
    assert calls and not second.from_cache and second.version == first.version
    assert loader.load_rules(rules_copy).from_cache  # rewritten whole


def test_cache_entry_of_another_key_is_not_served(cache_home, rules_copy, monkeypatch):
    """A valid entry, signed here, copied under the wrong name (another folder's rules) is not trusted."""
    from quanze.engine.load import rulecache

    loader.load_rules(rules_copy)
    path = entry(cache_home)
    stored = rulecache.read_entry(path, path.stem.removeprefix("rules-"))
    assert stored is not None
    rulecache.write_entry(path, "0" * 33, stored)
    calls = reads_yaml(monkeypatch)
    assert not loader.load_rules(rules_copy).from_cache and calls


def test_an_entry_signed_with_another_key_is_never_unpickled(cache_home, rules_copy, monkeypatch):
    """Pickles run code on load: an entry not signed with this cache folder's own key (copied from another machine,
    another user or a backup) is ignored before it is unpickled, and rebuilt."""
    import pickle

    from quanze.engine.load import rulecache

    loader.load_rules(rules_copy)
    path = entry(cache_home)
    key = (cache_home / "hmac.key").read_bytes()
    assert ((cache_home / "hmac.key").stat().st_mode & 0o777) == 0o600 and len(key) == 32
    data = path.read_bytes()
    forged = data[:4] + b"\0" * 32 + data[36:]  # the same pickle with another signature
    path.write_bytes(forged)
    unpickled = []
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: unpickled.append(1))
    assert rulecache.read_entry(path, path.stem.removeprefix("rules-")) is None and not unpickled
    monkeypatch.undo()
    monkeypatch.setattr(loader, "MEMO_SIZE", 0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home.parent))
    calls = reads_yaml(monkeypatch)
    assert not loader.load_rules(rules_copy).from_cache and calls


def test_a_loose_signing_key_is_replaced_and_its_entries_rebuilt(cache_home, rules_copy, monkeypatch):
    loader.load_rules(rules_copy)
    os.chmod(cache_home / "hmac.key", 0o644)  # readable by others: anyone could sign an entry
    from quanze.engine.load import rulecache

    rulecache._KEYS.clear()
    calls = reads_yaml(monkeypatch)
    assert not loader.load_rules(rules_copy).from_cache and calls
    assert ((cache_home / "hmac.key").stat().st_mode & 0o777) == 0o600


def test_compiled_rulesets_come_from_the_cache_and_give_the_same_results(cache_home, rules_copy, monkeypatch):
    """The rulesets the self-test compiled are stored one per file; a later command reads the one it needs (under the
    name of its key, as compiled) and every sample draft gets the same result as with rules compiled in the process."""
    from helpers import CASES  # not conftest: importing it again would set XDG_CACHE_HOME again
    from quanze.engine.batch.cases import find_cases
    from quanze.engine.check.checker import check
    from quanze.engine.lang import compile as compiler
    from quanze.engine.load import rulecache
    from quanze.engine.model.drafts import read_draft

    fresh = loader.load_rules(rules_copy)
    assert list(cache_home.glob("compiled-*.pickle"))
    read = []
    real_read = rulecache.read_entry

    def counted(path, key):
        found = real_read(path, key)
        read.append(found)
        return found

    monkeypatch.setattr(rulecache, "read_entry", counted)
    cached = loader.load_rules(rules_copy)
    assert cached.from_cache and dict(cached.cache) == {}
    for path in find_cases(CASES):
        if "invalid" not in path.parts:
            draft = read_draft(path)
            a, b = check(draft, cached, str(path)).to_json(), check(draft, fresh, str(path)).to_json()
            assert a == b, path
    rulesets = [v for v in dict(cached.cache).values() if isinstance(v, compiler.CompiledRuleset)]
    from_disk = [v for v in read if isinstance(v, compiler.CompiledRuleset)]
    assert len(from_disk) > len(rulesets) / 2, [v.name for v in rulesets]  # most came from the disk, not the compiler
    fresh_names = {v.name for v in dict(fresh.cache).values() if isinstance(v, compiler.CompiledRuleset)}
    assert {v.name for v in rulesets} <= fresh_names  # the name of its key, read or compiled: explain says the same


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_cache_file_writable_by_others_is_ignored(cache_home, rules_copy, monkeypatch, mode):
    loader.load_rules(rules_copy)
    path = entry(cache_home)
    os.chmod(path, mode)
    calls = reads_yaml(monkeypatch)
    assert not loader.load_rules(rules_copy).from_cache and calls


def test_cache_file_not_owned_by_the_user_is_ignored(cache_home, rules_copy, monkeypatch):
    loader.load_rules(rules_copy)
    real = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: real + 1)
    calls = reads_yaml(monkeypatch)
    assert not loader.load_rules(rules_copy).from_cache and calls


def test_symlinked_cache_entry_is_ignored(cache_home, rules_copy, tmp_path, monkeypatch):
    loader.load_rules(rules_copy)
    path = entry(cache_home)
    elsewhere = tmp_path / "planted.json"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    calls = reads_yaml(monkeypatch)
    assert not loader.load_rules(rules_copy).from_cache and calls


def test_group_writable_cache_folder_is_made_private(cache_home, rules_copy):
    cache_home.mkdir(parents=True)
    os.chmod(cache_home, 0o777)
    loader.load_rules(rules_copy)
    assert (cache_home.stat().st_mode & 0o777) == 0o700


def test_no_cache_env_reads_every_time(cache_home, rules_copy, monkeypatch):
    monkeypatch.setenv("QUANZE_NO_CACHE", "1")
    loader.load_rules(rules_copy)
    assert not cache_home.exists() or not list(cache_home.glob("rules-*"))


def test_a_changed_file_is_read_again(cache_home, rules_copy):
    first = loader.load_rules(rules_copy)
    path = rules_copy / "params" / "xzcf.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("min: 2 ", "min: 3 "), encoding="utf-8")
    os.utime(path, ns=(1, 1))
    second = loader.load_rules(rules_copy)
    assert second.version != first.version and not second.from_cache
    assert second.params["xzcf"].versions[0].params["officers"]["min"] == 3


def test_code_key_covers_every_engine_module(monkeypatch):
    """Issue 16: the key hashes every module of the engine package (compile.py, evaluate.py … included), never none."""
    sources = dict(loader.engine_sources())
    assert len(sources) >= loader.MIN_ENGINE_MODULES
    assert {"lang/compile.py", "lang/evaluate.py", "load/selftest.py", "load/loader.py", "check/checker.py"} <= set(sources)
    monkeypatch.setattr(loader, "_CODE_KEY", [])
    before = loader._code_key()
    changed = [(rel, data + b"#" if rel == "lang/compile.py" else data) for rel, data in loader.engine_sources()]
    monkeypatch.setattr(loader, "engine_sources", lambda: changed)
    monkeypatch.setattr(loader, "_CODE_KEY", [])
    assert loader._code_key() != before


@pytest.mark.parametrize(
    "env",
    [{}, {"XDG_CACHE_HOME": "/x/y"}, {"XDG_CACHE_HOME": "/x/y/"}, {"XDG_CACHE_HOME": "rel"}, {"XDG_CACHE_HOME": ""},
     {"HOME": "/h/"}, {"HOME": "/"}, {"HOME": "//"}, {"HOME": "rel"}, {"HOME": ""}, {"ANDROID_DATA": "/data"}],
)
def test_the_cache_folder_found_without_platformdirs_is_platformdirs_answer(monkeypatch, env):
    """settings answers the plain Linux case itself (importing platformdirs costs ~3 ms of a check) and gives
    platformdirs' answer; any other case is platformdirs' own."""
    import platformdirs

    from quanze.engine.model import settings

    monkeypatch.delenv("QUANZE_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    mine = settings._linux_user_cache()
    assert mine is None or mine == platformdirs.user_cache_dir("quanze", appauthor=False)
    assert settings.engine_settings().cache_folder() == Path(platformdirs.user_cache_dir("quanze", appauthor=False))
    if sys.platform == "linux" and "ANDROID_DATA" not in env and env.get("HOME", "/").startswith("/"):
        assert mine is not None  # the plain case is answered without the import


def test_finding_the_cache_folder_imports_no_platformdirs(monkeypatch):
    """The plain Linux case (HOME absolute) is found without importing platformdirs."""
    import subprocess

    if sys.platform != "linux":
        pytest.skip("the plain case is Linux's")
    monkeypatch.setenv("HOME", "/home/officer")
    monkeypatch.delenv("QUANZE_CACHE_DIR", raising=False)
    code = "import sys; from quanze.engine.model import settings; settings.engine_settings().cache_folder()\n"
    code += "print('platformdirs' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "False", proc.stderr
