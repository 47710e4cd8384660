"""xltools as a pip user gets it: a wheel built from this repository, installed into a fresh virtual
environment in a folder outside the checkout, runs its commands there and carries the workbooks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from xltools.core.shipped import DISTRIBUTION

ROOT = Path(__file__).resolve().parents[1]
NOT_SOURCES = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "xltools-demo")


def run(command: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=900
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the venv's bin folder, a working folder with a Vietnamese name, outside the checkout)."""
    base = tmp_path_factory.mktemp("install")
    # A copy of the sources, as a clone has them: pip builds in the tree, and a stale build/ must not count.
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", base / "dist", source], cwd=base)
    assert built.returncode == 0, built.stderr
    (wheel,) = (base / "dist").glob("*.whl")
    assert wheel.name.startswith(DISTRIBUTION.replace("-", "_") + "-")
    made = run([sys.executable, "-m", "venv", base / "venv"], cwd=base)
    assert made.returncode == 0, made.stderr
    bin_dir = base / "venv" / ("Scripts" if os.name == "nt" else "bin")
    done = run([bin_dir / "python", "-m", "pip", "install", "-q", wheel], cwd=base)
    assert done.returncode == 0, done.stderr
    work = base / "Hội Nông dân tỉnh"
    work.mkdir()
    return bin_dir, work


def test_the_wheel_installs_our_project_and_imports_from_the_venv(installed: tuple[Path, Path]) -> None:
    bin_dir, work = installed
    version = run([bin_dir / "xltools", "--version"], cwd=work)
    assert version.returncode == 0 and version.stdout.startswith(f"{DISTRIBUTION} "), version.stdout
    where = run([bin_dir / "python", "-c", "import xltools; print(xltools.__file__)"], cwd=work)
    assert Path(where.stdout.strip()).is_relative_to(bin_dir.parent), where.stdout
    assert not Path(where.stdout.strip()).is_relative_to(ROOT)


def test_demo_runs_from_the_installed_wheel(installed: tuple[Path, Path]) -> None:
    bin_dir, work = installed
    demo = run([bin_dir / "xltools", "demo", "--out", "mẫu"], cwd=work)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert (work / "mẫu" / "TongHop_2026-10-31.xlsx").is_file()


def test_template_from_the_installed_wheel_and_no_overwrite(installed: tuple[Path, Path]) -> None:
    bin_dir, work = installed
    first = run([bin_dir / "xltools", "template", "--out", "Mẫu báo cáo.xlsx"], cwd=work)
    assert first.returncode == 0, first.stderr
    again = run([bin_dir / "xltools", "template", "--out", "Mẫu báo cáo.xlsx"], cwd=work)
    assert again.returncode == 2 and "--force" in again.stderr


def test_build_workbooks_from_the_installed_wheel_gives_the_repository_workbooks(installed: tuple[Path, Path]) -> None:
    bin_dir, work = installed
    built = run([bin_dir / "xltools", "build-workbooks", "--out", "Sổ tính"], cwd=work)
    assert built.returncode == 0, built.stderr
    names = sorted(p.name for p in (work / "Sổ tính").iterdir())
    assert names == ["BC-UT-HUYEN.xlsx", "TongHop_Tinh.xlsm", "TongHop_Tinh.xlsx"]
    shipped = run(
        [bin_dir / "python", "-c", "from xltools.core.shipped import shipped; print(shipped('workbooks'))"], cwd=work
    )
    for name in names:
        committed = (ROOT / "workbooks" / name).read_bytes()
        assert (work / "Sổ tính" / name).read_bytes() == committed
        assert (Path(shipped.stdout.strip()) / name).read_bytes() == committed
