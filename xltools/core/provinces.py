"""The provinces a national roll-up expects: the 34 provinces and centrally-run cities from 1 July 2025
(Nghị quyết 202/2025/QH15 on the arrangement of provincial units), in the order of the resolution."""

from __future__ import annotations

import re
from functools import lru_cache

from xltools.core.text import fold

PROVINCES = (
    "Hà Nội",
    "Huế",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Lạng Sơn",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Cao Bằng",
    "Tuyên Quang",
    "Lào Cai",
    "Thái Nguyên",
    "Phú Thọ",
    "Bắc Ninh",
    "Hưng Yên",
    "Hải Phòng",
    "Ninh Bình",
    "Quảng Trị",
    "Đà Nẵng",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Thành phố Hồ Chí Minh",
    "Đồng Nai",
    "Tây Ninh",
    "Cần Thơ",
    "Vĩnh Long",
    "Đồng Tháp",
    "Cà Mau",
    "An Giang",
)

_PREFIX = re.compile(r"^(?:(?:tinh|thanh pho)\s+|tp\.?\s*)")
_NOTE = re.compile(r"\s*[(\[].*$")  # "Thanh Hóa (sau sắp xếp)": a note in brackets after the name
_SPELLINGS = {"tp hcm": "ho chi minh", "tp.hcm": "ho chi minh", "hcm": "ho chi minh"}


@lru_cache(maxsize=1024)
def province_key(name: str) -> str:
    """One key for every way a province is written: "Tỉnh Thanh Hoá", "thanh hóa", "TP. Hồ Chí Minh",
    "Thanh Hóa (sau sắp xếp)"."""
    key = " ".join(_NOTE.sub("", fold(name)).split())
    key = _SPELLINGS.get(key, key)
    return _PREFIX.sub("", key)


def official_name(name: str) -> str | None:
    """The name in :data:`PROVINCES` for any spelling of it; None for a name not among them."""
    return _BY_KEY.get(province_key(name))


_BY_KEY = {province_key(p): p for p in PROVINCES}
