"""The compiled question-set cache: the same form as from YAML, and every real fault of the
cache file or folder falls back to YAML (logged, never printed, never an error)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from read_only_folder import IS_ROOT, read_only

from nasro_desktop.domain import form_cache
from nasro_desktop.domain.forms import FormRegistry, load_form
from nasro_desktop.paths import forms_dir

REPO = Path(__file__).resolve().parent.parent
NEWEST = sorted(forms_dir().glob("nasro-2018/v*.yaml"), key=lambda p: int(p.stem[1:]))[-1]
LOGGERS = ("nasro_desktop.cache", "nasro_desktop.domain.form_cache")


@pytest.fixture
def source(tmp_path) -> Path:
    """A copy of the newest question set at forms/nasro-2018/vN.yaml in a temporary folder."""
    folder = tmp_path / "forms" / "nasro-2018"
    folder.mkdir(parents=True)
    return Path(shutil.copy(NEWEST, folder / NEWEST.name))


def cached_file(cache: Path, source: Path) -> Path:
    return form_cache.cache_file(cache, source)


def warnings_of(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name in LOGGERS and r.levelno >= logging.WARNING]  # fmt: skip


def test_the_cached_form_is_the_form_built_from_yaml(source, tmp_path):
    cache = tmp_path / "cache"
    built = load_form(source)
    first = load_form(source, cache)  # builds, then writes the cache
    assert cached_file(cache, source).is_file()
    again = load_form(source, cache)  # from the cache
    assert again is not first
    assert again == first == built
    assert again.source == built.source
    assert [q.id for q in again.questions] == [q.id for q in built.questions]
    for q_cached, q_built in zip(again.questions, built.questions, strict=True):
        assert q_cached.show_if == q_built.show_if
        assert q_cached.wordings == q_built.wordings
    assert again.question(built.questions[-1].id) == built.questions[-1]
    assert again.replacement_map() == built.replacement_map()
    # conditions still work after the round trip
    conditional = next(q for q in built.questions if q.show_if is not None)
    for answers in ({}, {ref: "yes" for ref in conditional.show_if.references()}):
        assert (again.question(conditional.id).is_visible(answers)
                == conditional.is_visible(answers))  # fmt: skip


def test_the_cache_is_private(source, tmp_path):
    cache = tmp_path / "cache"
    load_form(source, cache)
    assert cache.stat().st_mode & 0o777 == 0o700
    assert cached_file(cache, source).stat().st_mode & 0o777 == 0o600
    assert [p.name for p in cache.iterdir()] == [cached_file(cache, source).name]  # no temp left


def test_a_changed_question_set_is_built_again(source, tmp_path):
    cache = tmp_path / "cache"
    first = load_form(source, cache)
    text = source.read_text(encoding="utf-8")
    old_title = first.title
    source.write_text(text.replace(old_title, old_title + " (edited)", 1), encoding="utf-8")
    changed = load_form(source, cache)
    assert changed.title == old_title + " (edited)"
    assert load_form(source, cache) == changed  # and the cache now holds the new one


def test_a_truncated_cache_file_falls_back_to_yaml_and_is_rewritten(source, tmp_path, caplog):
    cache = tmp_path / "cache"
    expected = load_form(source, cache)
    path = cached_file(cache, source)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) * 2 // 3])  # as after a power cut during a copy
    with caplog.at_level(logging.INFO):
        assert load_form(source, cache) == expected
    assert any("damaged" in message for message in warnings_of(caplog))
    assert path.read_bytes() == whole  # rewritten whole
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert load_form(source, cache) == expected
    assert not warnings_of(caplog)


@pytest.mark.parametrize("damage", [b"", b"garbage", b"nasro-cache 1\n" + b"0" * 64 + b"\n"])
def test_an_empty_or_foreign_cache_file_falls_back_to_yaml(source, tmp_path, damage):
    cache = tmp_path / "cache"
    expected = load_form(source, cache)
    cached_file(cache, source).write_bytes(damage)
    assert load_form(source, cache) == expected


def test_a_cache_with_the_right_key_but_a_damaged_body(source, tmp_path, caplog):
    """The header matches but the pickle inside is not a form (or not a pickle at all)."""
    import pickle

    cache = tmp_path / "cache"
    expected = load_form(source, cache)
    path = cached_file(cache, source)
    blob = path.read_bytes()
    header = blob[: blob.index(b"\n", len(b"nasro-cache 1\n")) + 1]
    for body in (pickle.dumps({"not": "a form"}), b"\x80\x05\x95 not a pickle"):
        path.write_bytes(header + body)
        caplog.clear()
        with caplog.at_level(logging.INFO):
            assert load_form(source, cache) == expected
        assert warnings_of(caplog)


def test_a_read_only_cache_folder_still_loads_the_form(source, tmp_path, caplog):
    cache = tmp_path / "cache"
    cache.mkdir()
    expected = load_form(source)
    with read_only(cache), caplog.at_level(logging.INFO):
        assert load_form(source, cache) == expected
        assert load_form(source, cache) == expected
        assert list(cache.iterdir()) == []
    assert any("cannot be written" in message for message in warnings_of(caplog))


def test_a_stale_cache_in_a_read_only_folder_is_not_used(source, tmp_path):
    cache = tmp_path / "cache"
    load_form(source, cache)
    source.write_text(source.read_text(encoding="utf-8").replace("title:", "title: New", 1),
                      encoding="utf-8")  # fmt: skip
    expected = load_form(source)
    with read_only(cache):
        assert load_form(source, cache) == expected


def test_a_cache_folder_that_is_a_file(source, tmp_path, caplog):
    cache = tmp_path / "cache"
    cache.write_text("not a folder")
    with caplog.at_level(logging.INFO):
        assert load_form(source, cache) == load_form(source)
    assert warnings_of(caplog)
    assert cache.read_text() == "not a folder"


@pytest.mark.skipif(not IS_ROOT, reason="giving a file to another user needs root")
def test_a_cache_file_owned_by_another_user_is_ignored(source, tmp_path, caplog):
    import pickle

    cache = tmp_path / "cache"
    expected = load_form(source, cache)
    path = cached_file(cache, source)
    blob = path.read_bytes()
    header = blob[: blob.index(b"\n", len(b"nasro-cache 1\n")) + 1]
    planted = load_form(REPO / "tests" / "domain_forms" / "mini.yaml")
    path.write_bytes(header + pickle.dumps(planted))
    os.chown(path, 54321, -1)
    with caplog.at_level(logging.INFO):
        assert load_form(source, cache) == expected
    assert any("not owned" in message for message in warnings_of(caplog))


def test_the_registry_uses_the_cache(source, tmp_path):
    cache = tmp_path / "cache"
    version = int(source.stem[1:])
    assert FormRegistry(tmp_path / "forms", cache).get("nasro-2018", version) == load_form(source)
    assert cached_file(cache, source).is_file()


def run_python(code: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NASRO_CACHE_DIR=str(cache), PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


def test_a_warm_cache_starts_without_yaml_and_nothing_is_printed(tmp_path):
    cache = tmp_path / "cache"
    code = ("import sys; from nasro_desktop.domain.forms import current_form; "
            "f = current_form(); print(len(f.questions), 'yaml' in sys.modules)")  # fmt: skip
    cold = run_python(code, cache)
    assert cold.returncode == 0 and cold.stderr == ""
    assert cold.stdout.split()[1] == "True"
    warm = run_python(code, cache)
    assert warm.returncode == 0 and warm.stderr == ""
    assert warm.stdout.split() == [cold.stdout.split()[0], "False"]
    # a damaged cache: still the form, still nothing on the terminal
    for path in cache.rglob("*.pickle"):
        path.write_bytes(path.read_bytes()[:100])
    damaged = run_python(code, cache)
    assert damaged.returncode == 0 and damaged.stderr == ""
    assert damaged.stdout.split() == [cold.stdout.split()[0], "True"]


def test_the_report_is_the_same_byte_for_byte_from_the_cache(tmp_path):
    """The sample report (both editions) from a form built from YAML and from the cache."""
    from reportlab import rl_config

    from nasro_desktop.domain.sample import sample_assessment
    from nasro_desktop.domain.scoring import evaluate
    from nasro_desktop.report import render_report

    cache = tmp_path / "cache"
    built = load_form(NEWEST)
    load_form(NEWEST, cache)
    cached = load_form(NEWEST, cache)
    invariant = rl_config.invariant
    rl_config.invariant = 1  # fixed creation date and document id
    try:
        for edition in ("board", "full"):
            pdfs = []
            for form in (built, cached):
                assessment = sample_assessment(form)
                readiness = evaluate(form, assessment)
                pdfs.append(render_report(form, assessment, readiness, edition=edition))
            assert pdfs[0] == pdfs[1], edition
    finally:
        rl_config.invariant = invariant
