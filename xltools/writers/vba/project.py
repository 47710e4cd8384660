"""A VBA project (vbaProject.bin) written from module sources, following MS-OVBA 2.3.

The storage holds: ``PROJECT`` (text: modules, name, protection), ``PROJECTwm`` (module names in
Unicode), ``VBA/_VBA_PROJECT`` (7 bytes, version 0xFFFF: no compiled cache, so Office compiles from
source), ``VBA/dir`` (compressed records describing the project and each module) and one stream per
module holding only its compressed source (text offset 0). The project is unprotected. One document
module per sheet plus ``ThisWorkbook``, named by the workbook's code names.
"""

from __future__ import annotations

import hashlib
import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from xltools.core.errors import VbaError
from xltools.writers.vba.cfb import write_compound_file
from xltools.writers.vba.compression import compress

CODE_PAGE = 1252
_LCID = 0x0409
_DOCUMENT_BASES = {
    "workbook": "0{00020819-0000-0000-C000-000000000046}",
    "worksheet": "0{00020820-0000-0000-C000-000000000046}",
}
_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"


@dataclass(frozen=True)
class Module:
    """A VBA module: its name and its source as the VBA editor exports it (Attribute lines included)."""

    name: str
    source: str
    document: bool = False

    @classmethod
    def from_file(cls, path: str | Path) -> Module:
        """A standard module from a ``.bas`` file; its name is the file's stem."""
        path = Path(path)
        return cls(path.stem, path.read_text(encoding="cp1252"))

    @classmethod
    def for_document(cls, code_name: str, kind: str) -> Module:
        """The (empty) module behind the workbook (``kind`` "workbook") or a sheet ("worksheet")."""
        lines = [
            f'Attribute VB_Name = "{code_name}"',
            f'Attribute VB_Base = "{_DOCUMENT_BASES[kind]}"',
            "Attribute VB_GlobalNameSpace = False",
            "Attribute VB_Creatable = False",
            "Attribute VB_PredeclaredId = True",
            "Attribute VB_Exposed = True",
            "Attribute VB_TemplateDerived = False",
            "Attribute VB_Customizable = True",
        ]
        return cls(code_name, "\r\n".join(lines) + "\r\n", document=True)

    @property
    def code(self) -> bytes:
        """The source in the project's code page with CRLF line ends, as stored in the module stream."""
        text = self.source.replace("\r\n", "\n").replace("\n", "\r\n")
        try:
            return text.encode(f"cp{CODE_PAGE}")
        except UnicodeEncodeError as error:
            bad = text[error.start : error.end]
            raise VbaError(
                f"VBA module {self.name}: “{bad}” is not in code page {CODE_PAGE}; keep VBA source in "
                "plain Latin text and put Vietnamese text in the workbook's cells"
            ) from None


def _record(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def _text_records(record_id: int, unicode_id: int, text: str) -> bytes:
    return _record(record_id, text.encode(f"cp{CODE_PAGE}")) + _record(unicode_id, text.encode("utf-16-le"))


def _dir_stream(project_name: str, modules: Sequence[Module]) -> bytes:
    out = bytearray()
    out += _record(0x0001, struct.pack("<I", 1))  # SysKind: 32-bit Windows
    out += _record(0x0002, struct.pack("<I", _LCID))
    out += _record(0x0014, struct.pack("<I", _LCID))
    out += _record(0x0003, struct.pack("<H", CODE_PAGE))
    out += _record(0x0004, project_name.encode(f"cp{CODE_PAGE}"))
    out += _text_records(0x0005, 0x0040, "")  # doc string
    out += _text_records(0x0006, 0x003D, "")  # help file
    out += _record(0x0007, struct.pack("<I", 0))  # help context
    out += _record(0x0008, struct.pack("<I", 0))  # lib flags
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # version 1.0 (its size field is fixed at 4)
    out += _text_records(0x000C, 0x003C, "")  # conditional-compilation constants
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # project cookie
    for module in modules:
        out += _record(0x0019, module.name.encode(f"cp{CODE_PAGE}"))
        out += _record(0x0047, module.name.encode("utf-16-le"))
        out += _text_records(0x001A, 0x0032, module.name)  # stream name
        out += _text_records(0x001C, 0x0048, "")  # doc string
        out += _record(0x0031, struct.pack("<I", 0))  # source at offset 0: no performance cache
        out += _record(0x001E, struct.pack("<I", 0))  # help context
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # module cookie
        out += _record(0x0022 if module.document else 0x0021, b"")
        out += _record(0x002B, b"")  # module terminator
    out += _record(0x0010, b"")  # dir terminator
    return bytes(out)


def encrypt(project_id: str, data: bytes, seed: int) -> str:
    """MS-OVBA 2.4.3.2 data encryption, as hex for PROJECT's CMG, DPB and GC."""
    version = 2
    key = sum(project_id.encode("ascii")) & 0xFF
    out = bytearray([seed, seed ^ version, seed ^ key])
    unencrypted, encrypted1, encrypted2 = key, seed ^ key, seed ^ version
    ignored = bytes([seed]) * ((seed & 6) // 2)
    for byte in ignored + struct.pack("<I", len(data)) + data:
        byte_enc = byte ^ ((encrypted2 + unencrypted) & 0xFF)
        out.append(byte_enc)
        encrypted2, encrypted1, unencrypted = encrypted1, byte_enc, byte
    return out.hex().upper()


def decrypt(project_id: str, hex_text: str) -> bytes:
    """The data of an MS-OVBA 2.4.3.3 encrypted field; ValueError when its key or length is wrong."""
    raw = bytes.fromhex(hex_text)
    seed, version_enc, key_enc = raw[:3]
    if seed ^ version_enc != 2 or seed ^ key_enc != sum(project_id.encode("ascii")) & 0xFF:
        raise VbaError("encrypted field does not belong to this project")
    unencrypted, encrypted1, encrypted2 = seed ^ key_enc, key_enc, version_enc
    plain = bytearray()
    for byte_enc in raw[3:]:
        byte = byte_enc ^ ((encrypted2 + unencrypted) & 0xFF)
        plain.append(byte)
        encrypted2, encrypted1, unencrypted = encrypted1, byte_enc, byte
    body = plain[(seed & 6) // 2 :]
    length = struct.unpack("<I", body[:4])[0]
    if length != len(body) - 4:
        raise VbaError("encrypted field's length does not match its data")
    return bytes(body[4:])


def _project_stream(project_id: str, project_name: str, modules: Sequence[Module]) -> bytes:
    digest = hashlib.sha256(b"".join(m.code for m in modules)).digest()
    seeds = digest[:3]  # deterministic "random" seeds: the same sources give the same bytes
    lines = [f'ID="{project_id}"']
    lines += [f"Document={m.name}/&H00000000" if m.document else f"Module={m.name}" for m in modules]
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{encrypt(project_id, bytes(4), seeds[0])}"',  # protection state: none
        f'DPB="{encrypt(project_id, bytes(1), seeds[1])}"',  # password: none
        f'GC="{encrypt(project_id, bytes([0xFF]), seeds[2])}"',  # visible
        "",
        "[Host Extender Info]",
        _HOST_EXTENDER,
        "",
        "[Workspace]",
    ]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return ("\r\n".join(lines) + "\r\n").encode(f"cp{CODE_PAGE}")


def _project_wm(modules: Sequence[Module]) -> bytes:
    names = b"".join(m.name.encode(f"cp{CODE_PAGE}") + b"\0" + m.name.encode("utf-16-le") + b"\0\0" for m in modules)
    return names + b"\0\0"


def build_vba_project(modules: Sequence[Module], project_name: str = "VBAProject") -> bytes:
    """The bytes of a vbaProject.bin holding ``modules`` (document modules included)."""
    names = [m.name for m in modules]
    if len(set(n.upper() for n in names)) != len(names):
        raise VbaError(f"VBA module names must be unique: {names}")
    project_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "xltools:" + project_name)).upper() + "}"
    streams = {
        "PROJECT": _project_stream(project_id, project_name, modules),
        "PROJECTwm": _project_wm(modules),
        "VBA/_VBA_PROJECT": bytes([0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x00, 0x00]),
        "VBA/dir": compress(_dir_stream(project_name, modules)),
    }
    for module in modules:
        streams[f"VBA/{module.name}"] = compress(module.code)
    return write_compound_file(streams)
