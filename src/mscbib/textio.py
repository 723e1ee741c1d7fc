"""Bytes → text for every file mscbib reads: the one place that decides a file's encoding.

:func:`decode_bytes` is used by every reader (``mscbib.sources.read_file`` for ``build``/``extract``,
:func:`mscbib.bibfile.read_bib` for ``check``):

1. ``encoding`` given (``--encoding``): that codec, strictly; a byte it cannot decode is an error naming
   the byte and its line.
2. A byte-order mark: UTF-32 (LE/BE), UTF-16 (LE/BE), UTF-8. The UTF-8 BOM is remembered (the encoding
   is then ``utf-8-sig``) so that a rewrite (``check --fix``) keeps it.
3. UTF-16/UTF-32 without a BOM, told by where the NUL bytes fall (``\\x00a\\x00b``…).
4. UTF-8, strictly.
5. Anything else: ``charset-normalizer`` guesses (an EndNote RIS export in Windows-1252, a Latin-1
   ``.bib``), and the result carries a warning naming the file and the encoding used.

Text with NUL bytes left after all this is binary: refused with a clear reason. Nothing is ever decoded
with ``errors="replace"``: a character is never silently changed.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Decoded",
    "NotText",
    "decode_bytes",
    "read_text_file",
    "check_encoding",
    "encode_text",
    "line_ending",
    "CannotEncode",
]

#: (byte-order mark, the codec of what follows it); a rewrite writes the same mark, then the text in that codec
#: (``utf-16`` would write the machine's order: a big-endian file came back little-endian)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: how much of a file the NUL-byte layout and charset-normalizer look at before deciding
_SAMPLE = 1 << 16
#: among encodings that decode a file identically, the name given (what exports most often are)
_PREFERRED = ("cp1252", "latin_1", "iso8859_15", "mac_roman")


class NotText(ValueError):
    """The bytes are not text in any encoding we can tell (or not in the one asked for)."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        super().__init__(f"{path}{f':{line}' if line else ''}: {reason}")
        self.path, self.reason, self.line = path, reason, line


@dataclass
class Decoded:
    text: str  # without a byte-order mark
    #: the codec a rewrite should use to give the same bytes back (``utf-8-sig`` keeps a UTF-8 BOM)
    encoding: str
    #: set when the encoding was guessed (not UTF-8, no BOM, no --encoding): say so to the user
    warning: str | None = None
    #: the file began with a byte-order mark (UTF-16/32: ``encoding`` is then ``utf-16-be`` and the like, which
    #: write none; :func:`encode_text` puts it back). A UTF-8 one is in the codec: ``utf-8-sig``.
    bom: bool = False


def check_encoding(name: str) -> str:
    """The canonical codec name of ``name``; ``LookupError`` when Python knows no such encoding."""
    return codecs.lookup(name).name


def _strict(data: bytes, codec: str, path: str, what: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise NotText(path, f"not {what} text (byte {exc.start}: {exc.reason})", line=line) from None


def _nul_layout(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` or ``utf-32-le``/``-be`` when the NUL bytes fall where ASCII text in that
    encoding puts them; None otherwise."""
    n = len(sample) - len(sample) % 4
    if n < 4 or b"\x00" not in sample:
        return None
    sample = sample[:n]
    quads = [sample[i::4].count(0) / (n // 4) for i in range(4)]
    if quads[1] > 0.9 and quads[2] > 0.9 and quads[3] > 0.9 and quads[0] < 0.5:
        return "utf-32-le"
    if quads[0] > 0.9 and quads[1] > 0.9 and quads[2] > 0.9 and quads[3] < 0.5:
        return "utf-32-be"
    even, odd = sample[0::2].count(0) / (n // 2), sample[1::2].count(0) / (n // 2)
    if odd > 0.6 and even < 0.1:
        return "utf-16-le"
    if even > 0.6 and odd < 0.1:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, path: str = "<input>", encoding: str | None = None) -> Decoded:
    """Decode a file's bytes (see the module docstring). Raises :class:`NotText` when they are not text."""
    if encoding:
        codec = check_encoding(encoding)
        if codec in ("utf-8", "utf-8-sig") and data.startswith(codecs.BOM_UTF8):
            return Decoded(_strict(data[3:], "utf-8", path, "UTF-8"), "utf-8-sig")
        text = _strict(data, codec, path, encoding)
        return Decoded(text[1:] if text.startswith("\ufeff") else text, codec)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            plain = codec.removesuffix("-sig")
            return Decoded(_strict(data[len(bom) :], plain, path, plain.upper()), codec, bom=True)
    layout = _nul_layout(data[:_SAMPLE])
    if layout:
        return Decoded(
            _strict(data, layout, path, layout.upper()),
            layout,
            f"{path}: read as {layout.upper()} (no byte-order mark); use --encoding to choose another",
        )
    if b"\x00" in data[:_SAMPLE]:
        raise NotText(path, "binary file (contains NUL bytes), not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc
    guess = _guess(data)
    if guess is None:
        line = data[: first_bad.start].count(b"\n") + 1
        raise NotText(
            path,
            f"not text in any encoding recognised (not UTF-8 at byte {first_bad.start}); name it with --encoding",
            line=line,
        )
    codec, text = guess
    return Decoded(text, codec, f"{path}: not UTF-8; read as {codec} (detected); use --encoding to choose another")


def _guess(data: bytes) -> tuple[str, str] | None:
    """``(codec, text)`` by charset-normalizer, decoding the whole file strictly; None if nothing fits.

    A detector looks at a sample; the winner must still decode every byte. Windows-1252 is tried last
    as the commonest 8-bit encoding of what people export (EndNote, old BibTeX files)."""
    from charset_normalizer import from_bytes

    western = _plausible_cp1252(data)
    if western is not None:
        return "cp1252", western
    tried = set()
    try:
        matches = list(from_bytes(data[:_SAMPLE] if len(data) > _SAMPLE else data, steps=5, threshold=0.3))
    except Exception:  # the detector is a heuristic: its failure is just "no guess"
        matches = []
    for m in matches:
        # equal decodings are one match with several names: say the commonest (cp1252 over cp1250)
        names = set(getattr(m, "could_be_from_charset", None) or [m.encoding])
        codec = check_encoding(next((c for c in _PREFERRED if c in names), m.encoding))
        if codec in tried or codec.startswith(("utf-16", "utf-32", "utf_16", "utf_32")):
            continue
        tried.add(codec)
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if "\x00" not in text:
            return codec, text
    if "cp1252" not in tried:
        try:
            return "cp1252", data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return None


#: below this many bytes outside ASCII a detector has too little to go on (it named "Müller, Jörg" cp1006)
_FEW = 64
#: (not ¿ ¹ ³ ª º µ: what Polish or Czech in Windows-1250 reads as in Windows-1252)
_WESTERN_PUNCT = frozenset("“”‘’‚„–—…€«»°·§©®±×÷†‡•™\u00a0")


def _plausible_cp1252(data: bytes) -> str | None:
    """The text as Windows-1252 when the file has few bytes outside ASCII and they read as letters and
    punctuation of Western text there (letters that sit among ASCII ones: Cyrillic or Greek read as
    Windows-1252 is all accented capitals); None otherwise, for the detector to decide."""
    high = sum(1 for b in data[:_SAMPLE] if b > 0x7F)
    if not high or high >= _FEW:
        return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    odd = [c for c in text if ord(c) > 0x7F and not c.isalpha() and c not in _WESTERN_PUNCT]
    letters = sum(1 for c in text if c.isalpha())
    foreign = sum(1 for c in text if ord(c) > 0x7F and c.isalpha())
    return text if not odd and letters and foreign / letters < 0.6 else None


class CannotEncode(ValueError):
    """A text has a character the file's encoding cannot hold (a Latin-1 file given a ``β``)."""

    def __init__(self, encoding: str, char: str, line: int) -> None:
        super().__init__(
            f"line {line}: {char!r} (U+{ord(char):04X}) cannot be written in {encoding}, the file's encoding"
        )
        self.encoding, self.char, self.line = encoding, char, line


def encode_text(text: str, encoding: str, bom: bool = False) -> bytes:
    """``text`` as the bytes of a file in ``encoding`` (what :class:`Decoded` says of the file read), the
    byte-order mark first when ``bom``: what was read is written back the same. :class:`CannotEncode` names
    the first character that encoding cannot hold, and its line; nothing is ever replaced."""
    codec = codecs.lookup(encoding).name
    if bom and codec != "utf-8-sig":
        text = "\ufeff" + text  # in utf-16-be, utf-32-le…: that codec's own byte-order mark
    try:
        return text.encode(codec)
    except UnicodeEncodeError as exc:
        raise CannotEncode(encoding, exc.object[exc.start], exc.object.count("\n", 0, exc.start) + 1) from None


def line_ending(text: str) -> str:
    """The line ending a text uses throughout: ``"\r\n"``, ``"\r"`` (old Mac), else ``"\n"`` (also for a
    mixture: what is added to it then has plain line feeds)."""
    crlf = text.count("\r\n")
    if crlf and crlf == text.count("\n") == text.count("\r"):
        return "\r\n"
    if "\r" in text and "\n" not in text:
        return "\r"
    return "\n"


def read_text_file(path: str | Path, encoding: str | None = None) -> Decoded:
    """Read and decode a file. ``OSError`` when it cannot be read, :class:`NotText` when it is not text."""
    return decode_bytes(Path(path).read_bytes(), str(path), encoding)
