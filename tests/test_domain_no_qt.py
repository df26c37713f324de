import subprocess
import sys


def test_domain_and_store_load_no_qt():
    code = (
        "import sys, nasro_desktop.domain.forms, nasro_desktop.domain.scoring, "
        "nasro_desktop.domain.conditions, nasro_desktop.domain.dates\n"
        "try:\n    import nasro_desktop.store\nexcept ImportError:\n    pass\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"Qt modules loaded by the domain/store layer: {out.stdout}"


def test_domain_loads_no_reportlab():
    code = (
        "import sys, nasro_desktop.domain.forms, nasro_desktop.domain.scoring\n"
        "print(any(m.startswith('reportlab') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
