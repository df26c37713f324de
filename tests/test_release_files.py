"""What makes a release, checked here without GitHub's machines (the workflows can only run
there): the workflow files parse and say what they must, the lock pins every dependency with
hashes at the versions tested, the README's promises match the checks, the version with a
suffix survives every packaging step, and the licences file names what is shipped."""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
LOCK = ROOT / "packaging" / "requirements-lock.txt"
sys.path.insert(0, str(ROOT / "packaging"))

import platform_floor  # noqa: E402
import smoke_test  # noqa: E402
import versions  # noqa: E402


def workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads a bare `on:` as True
    return data


def runs(job: dict) -> str:
    return "\n".join(str(step.get("run", "")) for step in job["steps"])


def test_every_workflow_parses_and_pins_its_actions():
    names = sorted(p.name for p in WORKFLOWS.glob("*.yml"))
    assert names == ["bundle.yml", "newest.yml", "tests.yml"]
    for name in names:
        data = workflow(name)
        assert data["on"] and data["jobs"], name
        assert data["permissions"] == {"contents": "read"}, name  # least by default
        for job in data["jobs"].values():
            assert job.get("timeout-minutes"), name
            for step in job["steps"]:
                if "uses" in step:
                    assert re.fullmatch(r"actions/[\w-]+@v\d+", step["uses"]), step["uses"]
            for path in re.findall(r"(?:packaging|bench)/[\w./-]+\.(?:py|sh|spec|iss|txt)",
                                   runs(job)):
                assert (ROOT / path).is_file(), (name, path)


def test_the_tests_run_on_windows_and_macos_when_the_app_changes():
    data = workflow("tests.yml")
    for event in ("push", "pull_request"):
        paths = data["on"][event]["paths"]
        assert {"nasro_desktop/**", "tests/**", "pyproject.toml"} <= set(paths)
    [job] = data["jobs"].values()
    assert set(job["strategy"]["matrix"]["os"]) == {"windows-latest", "macos-latest"}
    assert job["runs-on"] == "${{ matrix.os }}"
    assert "--require-hashes -r packaging/requirements-lock.txt" in runs(job)
    assert 'pytest -m "not slow"' in runs(job)
    assert job["env"]["QT_QPA_PLATFORM"] == "offscreen"


def test_a_version_tag_makes_a_draft_release_with_the_checked_downloads():
    data = workflow("bundle.yml")
    assert data["on"]["push"]["tags"] == ["v*"]
    release = data["jobs"]["release"]
    assert release["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert set(release["needs"]) == {"linux", "windows", "macos"}
    assert release["permissions"] == {"contents": "write"}  # only this job may write
    script = runs(release)
    assert "sha256sum nasro-desktop-* > SHA256SUMS" in script
    assert "gh release create" in script and "--draft" in script
    assert 'test "v$version" = "$GITHUB_REF_NAME"' in script
    for job in ("linux", "windows", "macos"):
        text = runs(data["jobs"][job])
        assert "packaging/smoke_test.py" in text, job
        upload = next(s for s in data["jobs"][job]["steps"]
                      if s.get("uses", "").startswith("actions/upload-artifact"))
        assert upload["with"]["if-no-files-found"] == "error"
    assert data["jobs"]["linux"]["runs-on"] == "ubuntu-22.04"  # the README's glibc floor
    windows = runs(data["jobs"]["windows"])
    assert "/DAppNumbers=$numbers" in windows and "packaging/versions.py windows" in windows


def test_the_newest_versions_are_tried_every_week_and_reported():
    data = workflow("newest.yml")
    assert data["on"]["schedule"][0]["cron"]
    [job] = data["jobs"].values()
    text = runs(job)
    assert "--upgrade" in text and "requirements-lock" not in text.split("lock_diff.py")[0]
    assert "packaging/lock_diff.py packaging/requirements-lock.txt" in text
    assert "GITHUB_STEP_SUMMARY" in text


def lock_pins() -> dict[str, tuple[str, str | None, int]]:
    """{name: (version, marker, number of hashes)} from the lock."""
    pins = {}
    text = LOCK.read_text(encoding="utf-8")
    for block in re.split(r"\n(?=[a-z0-9])", text.split("\n", 3)[3]):
        match = re.match(r"([a-z0-9][a-z0-9._-]*)==([^ \\;]+)(?: ; ([^\\]+))?", block)
        assert match, block[:80]
        marker = match.group(3).strip() if match.group(3) else None
        pins[match.group(1)] = (match.group(2), marker, block.count("--hash=sha256:"))
    return pins


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_lock_pins_every_dependency_with_hashes_at_its_lower_bound_or_above():
    pins = lock_pins()
    assert all(hashes >= 1 for _v, _m, hashes in pins.values())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + [r for extra in ("test", "bundle")
                                        for r in project["optional-dependencies"][extra]]
    from packaging.requirements import Requirement
    from packaging.version import Version

    for line in wanted:
        requirement = Requirement(line)
        name = normalise(requirement.name)
        assert name in pins, (f"{name} is in pyproject.toml but not in the lock: run "
                              "bash packaging/lock.sh (with a pip freeze of the tested "
                              "environment as its argument)")
        if requirement.marker is None or requirement.marker.evaluate():
            assert Version(pins[name][0]) in requirement.specifier, (name, pins[name][0])
    # Windows and macOS get their own build tools from the same lock
    assert pins["pefile"][1] == "sys_platform == 'win32'"
    assert pins["macholib"][1] == "sys_platform == 'darwin'"
    assert pins["pyside6-essentials"][2] >= 3  # a wheel for each system


def test_what_is_installed_here_is_what_the_lock_says():
    """The tests run on the locked versions (.ci/run installs the lock): a package upgraded
    by hand shows up here."""
    from packaging.markers import Marker

    differ = []
    for name, (version, marker, _hashes) in lock_pins().items():
        if marker and not Marker(marker).evaluate():
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
        if name in ("pip", "setuptools"):
            continue  # the environment's own tools, not the app's
        if installed != version:
            differ.append(f"{name} {installed} (lock: {version})")
    assert not differ, differ


def test_the_readme_says_what_the_checks_check():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"glibc {smoke_test.GLIBC_FLOOR}" in readme
    assert "arm64" in readme or "Apple silicon" in readme
    assert "SHA256SUMS" in readme and "Get-FileHash" in readme and "shasum -a 256" in readme
    first_two = readme.splitlines()[:2]
    assert first_two[0].strip().startswith("python3 -m venv .venv && .venv/bin/python -m pip "
                                           "install . && .venv/bin/nasro-desktop")
    assert "pytest" in first_two[1]
    for words in ("Python 3.11", "python3-venv", "libxcb-cursor0"):
        assert words in readme, words


@pytest.mark.parametrize(("version", "numbers"), [
    ("0.2.0rc1", (0, 2, 0, 0)), ("0.2.0", (0, 2, 0, 0)), ("1.4", (1, 4, 0, 0)),
    ("0.3.0.dev2", (0, 3, 0, 0)), ("2.0.1.7", (2, 0, 1, 7))])
def test_a_version_with_a_suffix_keeps_windows_four_numbers(version, numbers):
    assert versions.windows_numbers(version) == numbers


def test_the_installer_and_the_exe_use_the_numbers_where_windows_wants_numbers():
    iss = (ROOT / "packaging" / "windows" / "nasro-desktop.iss").read_text()
    assert "VersionInfoVersion={#AppNumbers}" in iss
    assert "AppVersion={#AppVersion}" in iss and "OutputBaseFilename=nasro-desktop-{#AppVersion}" in iss
    for directive in ("AppPublisher=", "AppSupportURL=", "LicenseFile="):
        assert directive in iss, directive
    assert "THIRD-PARTY-NOTICES.txt" in iss
    spec = (ROOT / "packaging" / "nasro-desktop.spec").read_text()
    assert "windows_numbers(__version__)" in spec and 'split(".")' not in spec
    assert 'floor("macos")' in spec and '"LSMinimumSystemVersion": "11.0"' not in spec


def test_the_platform_floor_is_read_from_the_wheel_tags():
    tags = ["cp39-abi3-macosx_13_0_universal2", "py3-none-macosx_11_0_arm64",
            "cp311-cp311-macosx_10_10_universal2", "cp39-abi3-manylinux_2_28_x86_64",
            "py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64", "py3-none-any"]
    assert platform_floor.floor("macos", tags) == (13, 0)
    assert platform_floor.floor("glibc", tags) == (2, 28)
    assert platform_floor.floor("macos", ["py3-none-any"]) is None
    here = platform_floor.floor("glibc")  # the wheels installed here
    if sys.platform.startswith("linux"):
        assert here is not None and here <= tuple(map(int, smoke_test.GLIBC_FLOOR.split(".")))


def test_the_licences_name_everything_shipped():
    from nasro_desktop.notices import build_notices, runtime_packages

    text = build_notices()
    shipped = runtime_packages()
    assert {normalise(d.metadata["Name"]) for d in shipped} >= {
        "pyside6-essentials", "shiboken6", "reportlab", "rl-accel", "pypdfium2", "pillow",
        "pyyaml", "platformdirs", "sqlite-utils", "click", "python-dateutil"}
    assert not {"pip", "setuptools", "pytest"} & {normalise(d.metadata["Name"]) for d in shipped}
    for dist in shipped:
        assert f"- {dist.metadata['Name']} {dist.version}: " in text
    for words in smoke_test.NOTICE_WORDS:
        assert words.lower() in text.lower(), words
    assert "for at least three years" in text  # the written offer of Qt's source


def test_lock_diff_names_what_differs_on_this_system_only(tmp_path, capsys, monkeypatch):
    import lock_diff

    lock = tmp_path / "lock.txt"
    lock.write_text("pyyaml==0.0.1 \\\n    --hash=sha256:00\n"
                    "pefile==1.0 ; sys_platform == 'win32' \\\n    --hash=sha256:00\n"
                    f"pytest=={metadata.version('pytest')} \\\n    --hash=sha256:00\n")
    monkeypatch.setattr(sys, "argv", ["lock_diff.py", str(lock)])
    assert lock_diff.main() == 0
    out = capsys.readouterr().out
    assert f"| pyyaml | 0.0.1 | {metadata.version('PyYAML')} |" in out
    assert "pytest" not in out.split("|---|")[1]  # the same version: not listed
    assert ("pefile" in out) == (sys.platform == "win32")
