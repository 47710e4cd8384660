"""Reading received files: bounded checks on the package, then the tolerant reader (python-calamine).

``read_report`` never raises for what is inside a file: every problem becomes a finding on its cell.
"""

from xltools.reading.province_list import ProvinceList, read_province_list
from xltools.reading.received import ReceivedFile, Table
from xltools.reading.workbook import read_report

__all__ = ["ProvinceList", "ReceivedFile", "Table", "read_province_list", "read_report"]
