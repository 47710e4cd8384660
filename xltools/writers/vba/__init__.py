"""Writing a VBA project (vbaProject.bin) from module sources: MS-OVBA on an MS-CFB compound file."""

from xltools.writers.vba.project import Module, build_vba_project

__all__ = ["Module", "build_vba_project"]
