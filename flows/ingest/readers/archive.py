"""Safety checks for Office Open XML files (.docx, .xlsx), which are zip archives of XML.

A zip can declare gigabytes of XML in a few kilobytes (zip bomb), and an XML DOCTYPE can
expand a few entity declarations into gigabytes (billion laughs) or pull in local files
(XXE). Both are refused here, before python-docx or openpyxl open the file. Python's
zipfile never inflates a member past its declared size, so the declared sizes are a
trustworthy bound.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from .base import QuarantineError

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all members together, as declared in the zip
MAX_RATIO = 100  # uncompressed : compressed, for any member big enough to matter
MAX_MEMBERS = 10_000
_RATIO_FLOOR = 1024 * 1024  # small parts may compress well without being dangerous
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_PROLOG_BYTES = 64 * 1024
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")


def check_ooxml(path: Path, required_part: str, kind: str) -> None:
    """Refuse `path` unless it is a sane zip holding `required_part` and no XML DTDs."""
    try:
        with zipfile.ZipFile(path) as archive:
            _check_sizes(archive, path)
            if required_part not in archive.namelist():
                raise QuarantineError(
                    "corrupt",
                    f"{path.name} is a zip file but not a {kind} (no {required_part}); "
                    f"open it in Office/WPS and save it again as {kind}",
                )
            for info in archive.infolist():
                if info.filename.lower().endswith(_XML_SUFFIXES):
                    _check_xml_part(archive, info, path)
    except QuarantineError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        ValueError,
        RuntimeError,
        NotImplementedError,
    ) as exc:
        raise QuarantineError(
            "corrupt",
            f"{path.name} is not a readable {kind} file ({type(exc).__name__}: {exc}); "
            f"it may be truncated or password-protected: re-download it or save it again "
            f"as {kind} without a password",
        ) from exc


def _check_sizes(archive: zipfile.ZipFile, path: Path) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise QuarantineError(
            "unsafe_archive",
            f"{path.name} holds {len(infos)} zip members (limit {MAX_MEMBERS}); "
            "a real report never does, so it was not opened",
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise QuarantineError(
            "unsafe_archive",
            f"{path.name} would unpack to {total / 2**20:.0f} MB "
            f"(limit {MAX_UNCOMPRESSED / 2**20:.0f} MB); it looks like a zip bomb, so it was "
            "not opened. If it is genuine, remove embedded media and save it again",
        )
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise QuarantineError(
                "unsafe_archive",
                f"{path.name}: member {info.filename} compresses {info.file_size} bytes "
                f"into {info.compress_size} (ratio above {MAX_RATIO}); it looks like a zip bomb, "
                "so it was not opened",
            )


def _check_xml_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    """Refuse DOCTYPE/ENTITY declarations; Office itself never writes them.

    A DTD can only appear before the root element, so parsing stops at the first start
    tag. The raw-byte scan also covers encodings expat cannot read (NULs are dropped so
    UTF-16 parts are caught too); parse errors are left for the real reader to report.
    """
    with archive.open(info) as part:
        head = part.read(_PROLOG_BYTES)
    if any(marker in head.replace(b"\x00", b"") for marker in _DTD_MARKERS):
        raise _unsafe_xml(path, info.filename)
    with archive.open(info) as part:
        try:
            for _event in iterparse(part, events=("start",), forbid_dtd=True):
                return
        except DefusedXmlException as exc:
            raise _unsafe_xml(path, info.filename) from exc
        except SyntaxError:  # xml.etree.ElementTree.ParseError
            return


def _unsafe_xml(path: Path, member: str) -> QuarantineError:
    return QuarantineError(
        "unsafe_archive",
        f"{path.name}: {member} declares a DOCTYPE/ENTITY, which Office never writes and which "
        "can be used to expand or leak data; it was not opened. Save the document again from "
        "Office/WPS",
    )
