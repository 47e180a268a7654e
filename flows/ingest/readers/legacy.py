"""Legacy binary Word files (.doc, and WPS Writer's .wps) via LibreOffice.

No Python library reads .doc reliably, so the file is converted to .docx with a headless
LibreOffice when one is installed and then read like any .docx. The conversion runs on a
copy with a fixed name (hostile file names never reach the command line), without a
shell, with its own LibreOffice profile (a running instance would otherwise swallow the
request) and under a timeout that kills the whole process group.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .base import DocumentText, QuarantineError
from .office import read_docx

CONVERT_TIMEOUT_SECONDS = 120.0


def read_legacy_word(path: Path) -> DocumentText:
    """Convert .doc/.wps to .docx with LibreOffice, then read that."""
    converter = shutil.which("soffice") or shutil.which("libreoffice")
    if converter is None:
        raise QuarantineError(
            "legacy_format",
            f"{path.name} is a legacy binary Word/WPS file and no converter is installed; "
            f"convert it to .docx (e.g. `soffice --headless --convert-to docx FILE`) "
            "or install LibreOffice on the worker",
        )
    with tempfile.TemporaryDirectory(prefix="jixiao-convert-") as workdir:
        work = Path(workdir)
        source = work / f"input{path.suffix.lower()}"
        shutil.copyfile(path, source)
        outdir = work / "out"
        stderr = _run(
            [
                converter,
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "docx",
                "--outdir",
                str(outdir),
                str(source),
            ],
            path,
        )
        converted = outdir / "input.docx"
        if not converted.is_file():
            raise QuarantineError(
                "corrupt",
                f"LibreOffice could not convert {path.name} to .docx "
                f"({stderr[-300:].strip() or 'no output'}); open it in Word/WPS and save it as .docx",
            )
        text = read_docx(converted).text
    return DocumentText(text=text, source_format="doc")


def _run(args: list[str], path: Path) -> str:
    """Run the converter; return its stderr.

    On timeout, or if anything interrupts the wait (e.g. the caller's own time limit), the
    converter's process group is killed so no soffice.bin outlives the temp directory.
    """
    process = subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # own process group, so soffice.bin can be killed with it
    )
    try:
        _out, err = process.communicate(timeout=CONVERT_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise QuarantineError(
            "timeout",
            f"converting {path.name} to .docx took longer than {CONVERT_TIMEOUT_SECONDS:g} s "
            "and was stopped; convert it by hand (`soffice --headless --convert-to docx FILE`)",
        ) from None
    finally:
        if process.poll() is None:  # still ours: its pid (= group id) cannot have been reused
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    return err.decode("utf-8", errors="replace")
