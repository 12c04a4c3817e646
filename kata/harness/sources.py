"""Learner files read as Python reads them: bytes first, then the encoding Python itself would use (a UTF-8
byte-order mark, as Windows Notepad and PowerShell write, or a PEP 263 line such as
`# -*- coding: latin-1 -*-`; UTF-8 otherwise). Every source check goes through here, so a file that Python
runs is never rejected by a check that decoded it differently."""
from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path


def text(path: Path) -> str:
    """The file's text as Python decodes it (UnicodeDecodeError or SyntaxError when Python could not)."""
    data = Path(path).read_bytes()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)  # "utf-8-sig" when there is a byte-order mark: it is dropped


def parse(path: Path) -> ast.Module:
    """The file's AST, from its bytes: ast.parse applies the BOM and coding rules exactly as import does."""
    return ast.parse(Path(path).read_bytes(), filename=str(path))


def line(path: Path | str, lineno: int) -> str:
    """Line `lineno` of a file, stripped ("" when there is no such line or file)."""
    try:
        lines = text(Path(path)).splitlines()
    except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
        try:
            lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
    return lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""
