"""File output that never leaves a half-written file behind, and never loses what a file held.

* :func:`atomic_write_text` writes a temporary file beside the target, flushes it to disk and renames it over
  the target: a crash, ``kill -9`` or Ctrl-C leaves the old file or the new one, never a mixture. The new file
  keeps the old one's permission bits (a new file gets the umask's, as ``open`` gives), and a symlink is written
  *through*: the file it points to is replaced, the link stays.
* Temporary files are named ``.<name>.<pid>-<random>.tmp``. A run killed before its rename leaves one behind;
  the next write of the same file removes every such file whose process is gone (:func:`clean_stale_temps`).
* :func:`atomic_write_pair` writes two files that belong together (a library and its cited works) so that no
  kill leaves a new one beside an old one: both temporary files are written first, then a journal naming the two
  renames, then the renames, then the journal is removed. A run killed between the renames leaves the journal;
  the next write of either file — or :func:`recover_pair` — finishes the renames it names (the temporary files it
  names are complete, since the journal is written only after them). :func:`pending_pair` tells whether a pair is
  in that state.
* :func:`check_writable` says, before any work, why a file could not be written.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import stat
from pathlib import Path

__all__ = [
    "atomic_write_text",
    "atomic_write_pair",
    "recover_pair",
    "pending_pair",
    "clean_stale_temps",
    "check_writable",
    "backup",
    "real_target",
    "OutputError",
]


class OutputError(OSError):
    """A file that cannot be written, with the path and why, in words fit for the user."""

    def __init__(self, path: str | os.PathLike[str], why: str) -> None:
        super().__init__(f"{path}: {why}")
        self.path, self.why = str(path), why


def real_target(path: str | os.PathLike[str]) -> Path:
    """The file a write of ``path`` must replace: ``path`` itself, or the file its symlink(s) lead to."""
    p = Path(path)
    return Path(os.path.realpath(p)) if p.is_symlink() else p


def _umask_mode() -> int:
    """The mode ``open`` gives a new file: 0666 less the umask (read from /proc where it can be: setting the umask
    to read it would race with threads creating files)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _tmp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def clean_stale_temps(path: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files earlier writes of ``path`` left behind (their process is gone, or they are in
    the older ``.<name>.<random>.tmp`` form and more than a minute old). Returns what was removed."""
    import time

    target = real_target(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        return []
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(?:(\d+)-[0-9a-f]+|[^.]+)\.tmp$")
    removed = []
    for f in folder.iterdir():
        m = pattern.match(f.name)
        if not m:
            continue
        try:
            stale = not _alive(int(m.group(1))) if m.group(1) else time.time() - f.stat().st_mtime > 60
            if stale:
                f.unlink()
                removed.append(f)
        except OSError:
            continue
    return removed


def _write_temp(target: Path, text: str, encoding: str, bom: bool = False) -> Path:
    """A complete, flushed temporary file beside ``target`` holding ``text`` (:func:`mscbib.textio.encode_text`:
    in ``encoding``, a byte-order mark first with ``bom``), with the mode ``target`` has (or the umask's for a
    new file). A character the encoding cannot hold is an :class:`OutputError` naming it and its line, before
    anything is written."""
    from .textio import CannotEncode, encode_text

    try:
        data = encode_text(text, encoding, bom)
    except CannotEncode as exc:
        raise OutputError(target, f"cannot write: {exc}") from None
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = _umask_mode()
    tmp = _tmp_name(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _unlink(p: Path) -> None:
    try:
        os.unlink(p)
    except FileNotFoundError:
        pass


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8", bom: bool = False) -> None:
    """Write ``text`` to a temporary file beside ``path`` (through a symlink: beside its target), flush it to
    disk, then rename it over that file, keeping its mode. A crash or Ctrl-C leaves either the old file or the
    new one, never a mixture; the stale temporary files of earlier, killed writes are removed. The text is
    written as it is (no line ending is changed) in ``encoding``, after a byte-order mark with ``bom``."""
    target = real_target(path)
    try:
        recover_pair(target)
        clean_stale_temps(target)
        tmp = _write_temp(target, text, encoding, bom)
        try:
            os.replace(tmp, target)
        except BaseException:
            _unlink(tmp)
            raise
    except OutputError:
        raise
    except OSError as exc:  # a read-only folder, a file in the way, a full disk: said with the path, never a traceback
        raise OutputError(path, f"cannot write: {exc.strerror or exc}") from exc


def _journal(target: Path) -> Path:
    return target.with_name(f".{target.name}.pair")


def pending_pair(path: str | os.PathLike[str]) -> Path | None:
    """The journal of an interrupted :func:`atomic_write_pair` whose first file is ``path``, if there is one."""
    j = _journal(real_target(path))
    return j if j.exists() else None


def recover_pair(path: str | os.PathLike[str]) -> list[Path]:
    """Finish the renames of an interrupted :func:`atomic_write_pair` of ``path`` (the first file of the pair, or
    the second: its journal names it). Returns the files so completed."""
    target = real_target(path)
    journals = [_journal(target)]
    # the second file of a pair: look for a journal in the same folder naming it
    if target.parent.is_dir():
        journals += [j for j in target.parent.glob(".*.pair") if j != journals[0]]
    done: list[Path] = []
    for j in journals:
        try:
            renames = json.loads(j.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if j != journals[0] and not any(os.path.abspath(dst) == os.path.abspath(target) for _, dst in renames):
            continue
        for tmp, dst in renames:
            if Path(tmp).exists():
                os.replace(tmp, dst)
                done.append(Path(dst))
        _unlink(j)
    return done


def atomic_write_pair(
    first: str | os.PathLike[str],
    first_text: str,
    second: str | os.PathLike[str],
    second_text: str,
    encoding: str = "utf-8",
) -> None:
    """Write two files that must not disagree (see the module's doc): never a new one beside an old one."""
    targets = [real_target(first), real_target(second)]
    for t in targets:
        recover_pair(t)
        clean_stale_temps(t)
    try:
        _write_pair(targets, first_text, second_text, encoding)
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(exc.filename or first, f"cannot write: {exc.strerror or exc}") from exc


def _write_pair(targets: list[Path], first_text: str, second_text: str, encoding: str) -> None:
    temps: list[Path] = []
    journal = _journal(targets[0])
    try:
        temps = [_write_temp(targets[0], first_text, encoding)]
        temps.append(_write_temp(targets[1], second_text, encoding))
        # second file first: a reader of the first (the library) then never sees a cited file older than it
        # absolute paths: the run that finishes the renames may start in another folder
        renames = [
            (os.path.abspath(temps[1]), os.path.abspath(targets[1])),
            (os.path.abspath(temps[0]), os.path.abspath(targets[0])),
        ]
        fd = os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(renames, fh)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        for t in temps:
            _unlink(t)
        _unlink(journal)
        raise
    # from here on the journal makes the pair complete even if this process dies before the second rename
    done = 0
    try:
        for tmp, dst in renames:
            os.replace(tmp, dst)
            done += 1
    except BaseException:
        if done == 0:  # nothing renamed: the old pair stands, as it was
            for t in temps:
                _unlink(t)
            _unlink(journal)
        raise  # one renamed: the journal is left for the next write to finish (recover_pair)
    _unlink(journal)


def backup(path: str | os.PathLike[str], suffix: str = ".bak") -> Path | None:
    """Copy ``path`` (through a symlink: its target) to ``path + suffix``, keeping its mode; ``None`` when there is
    no such file. Raises :class:`OutputError` when the copy cannot be written."""
    target = real_target(path)
    if not target.is_file():
        return None
    dest = Path(str(path) + suffix)
    if dest.is_dir():  # copying would put the backup inside that folder, where nobody looks for it
        raise OutputError(dest, "cannot keep the original as a backup: a folder of that name is in the way")
    try:
        shutil.copy2(target, dest)
    except OSError as exc:
        raise OutputError(dest, f"cannot keep the original as a backup: {exc.strerror or exc}") from exc
    return dest


def check_writable(path: str | os.PathLike[str]) -> None:
    """Raise :class:`OutputError` when ``path`` could not be written: a folder in the way, a folder that cannot be
    made or written to, or a file that is read-only. Nothing is created."""
    target = real_target(path)
    if target.is_dir():
        raise OutputError(path, "is a folder")
    folder = target.parent
    while not folder.exists():  # the first existing ancestor must let us make the rest
        if folder.parent == folder:
            break
        folder = folder.parent
    if not folder.is_dir():
        raise OutputError(path, f"{folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        try:
            readonly = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
        except (OSError, AttributeError):
            readonly = False
        why = "a read-only file system" if readonly else "permission denied"
        raise OutputError(path, f"cannot write in the folder {folder} ({why})")
