"""Metadata is in pyproject.toml. This only puts the repository's ``macros/`` and ``workbooks/`` into the
wheel, as ``xltools/shipped/``, so that an installed xltools can build and hand out the workbooks
(``xltools.core.shipped`` finds them there)."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("macros", "workbooks")


class BuildWithShippedFiles(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads them from the checkout
            return
        for folder in SHIPPED:
            target = Path(self.build_lib) / "xltools" / "shipped" / folder
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(Path(__file__).parent / folder, target, ignore=shutil.ignore_patterns(".*", "~$*"))


setup(cmdclass={"build_py": BuildWithShippedFiles})
