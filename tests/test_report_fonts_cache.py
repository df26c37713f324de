"""The report fonts' cached metrics: a restored font is the font reportlab parses, the PDFs are
the same byte for byte, and a damaged cache only means the font file is parsed again."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from nasro_desktop.report import font_cache
from nasro_desktop.report.fonts import fonts_dir

REPO = Path(__file__).resolve().parent.parent
FONTS = ["DejaVuSans", "DejaVuSans-Bold", "Symbola"]


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("NASRO_CACHE_DIR", str(tmp_path / "cache"))
    return font_cache.cache_dir()


def _same_font(restored, parsed) -> None:
    assert type(restored) is type(parsed)
    assert set(vars(restored)) == set(vars(parsed))
    assert restored.fontName == parsed.fontName
    assert restored._asciiReadable == parsed._asciiReadable
    assert restored.shapable == parsed.shapable
    assert vars(restored.encoding) == vars(parsed.encoding)
    assert len(restored.state) == len(parsed.state) == 0
    mine, theirs = vars(restored.face), vars(parsed.face)
    assert set(mine) == set(theirs)
    for name, value in theirs.items():
        if name == "_pdfScale":
            for units in (0, 1, 1229, 2048, -77):
                assert mine[name](units) == value(units)
        else:
            assert mine[name] == value, name
    for text in ("Readiness ✔ ✘ ◐", "Nguyễn Łukasz Zoë", "1,234"):
        assert restored.stringWidth(text, 9.5) == parsed.stringWidth(text, 9.5)


@pytest.mark.parametrize("name", FONTS)
def test_a_restored_font_is_the_font_reportlab_parses(name, cache):
    path = fonts_dir() / f"{name}.ttf"
    first = font_cache.load_ttfont(name, path)  # parsed, then kept
    assert (cache / f"{name}.pickle").is_file()
    restored = font_cache.load_ttfont(name, path)
    assert restored.face is not first.face
    _same_font(restored, TTFont(name, str(path)))


def test_a_damaged_font_cache_is_parsed_again(cache, caplog):
    name = "DejaVuSans"
    path = fonts_dir() / f"{name}.ttf"
    font_cache.load_ttfont(name, path)
    kept = cache / f"{name}.pickle"
    whole = kept.read_bytes()
    kept.write_bytes(whole[: len(whole) // 2])
    with caplog.at_level(logging.INFO):
        _same_font(font_cache.load_ttfont(name, path), TTFont(name, str(path)))
    assert any("damaged" in r.getMessage() for r in caplog.records)
    assert kept.read_bytes() == whole


def test_a_font_cache_with_a_face_of_the_wrong_shape_is_parsed_again(cache, caplog):
    """A cache whose key matches but whose state is not what a face holds (as after a
    reportlab change the key missed)."""
    from nasro_desktop import cache as compiled

    name = "DejaVuSans"
    path = fonts_dir() / f"{name}.ttf"
    font_cache.load_ttfont(name, path)
    key = font_cache._key(name, path.read_bytes())
    compiled.write(cache / f"{name}.pickle", key, {"filename": str(path)})
    with caplog.at_level(logging.INFO):
        _same_font(font_cache.load_ttfont(name, path), TTFont(name, str(path)))
    assert any("could not be used" in r.getMessage() for r in caplog.records)


def _render(cache_dir: Path, out: Path, edition: str, text: str) -> subprocess.CompletedProcess:
    """The sample report in a fresh process, with reportlab's fixed date and document id."""
    code = (
        "import sys\n"
        "from reportlab import rl_config\n"
        "rl_config.invariant = 1\n"
        "from nasro_desktop.domain.forms import current_form\n"
        "from nasro_desktop.domain.sample import sample_assessment\n"
        "from nasro_desktop.domain.scoring import evaluate\n"
        "from nasro_desktop.report import render_report\n"
        "form = current_form(); a = sample_assessment(form)\n"
        f"a.officers[0].note = {text!r}\n"
        "r = evaluate(form, a)\n"
        f"open({str(out)!r}, 'wb').write(render_report(form, a, r, edition={edition!r}))\n"
        "from nasro_desktop.report import fonts\n"
        "print(sorted(fonts._registered))\n"
    )
    env = dict(os.environ, NASRO_CACHE_DIR=str(cache_dir), PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120, cwd=REPO)  # fmt: skip


@pytest.mark.parametrize("edition", ["board", "full"])
def test_the_pdf_is_the_same_byte_for_byte_with_a_cold_and_a_warm_font_cache(tmp_path, edition):
    text = "Emoji 🚓 and Łukasz"  # the fallback font (Symbola) too, in the full edition
    pdfs = []
    for run in ("cold", "warm", "damaged"):
        if run == "damaged":
            for kept in (tmp_path / "cache" / "fonts").glob("*.pickle"):
                kept.write_bytes(kept.read_bytes()[:-50])
        out = tmp_path / f"{run}.pdf"
        proc = _render(tmp_path / "cache", out, edition, text)
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
        assert ("'Symbola'" in proc.stdout) == (edition == "full"), proc.stdout
        pdfs.append(out.read_bytes())
    kept = sorted(p.name for p in (tmp_path / "cache" / "fonts").glob("*.pickle"))
    assert "DejaVuSans.pickle" in kept and "DejaVuSans-Bold.pickle" in kept
    assert pdfs[0] == pdfs[1] == pdfs[2]
