"""The output folder: only a folder a synth made is ever replaced, and never half-way.

- A synth output carries :data:`MARKER`. An existing path is used as output only
  when it is absent, an empty folder, or an earlier synth's output (the marker, or
  the bare ``manifest.json`` + ``stacks/`` layout older versions wrote). A file, a
  folder holding anything else, the project root, or a folder holding the
  environment files being read is refused with one line; nothing is touched.
- Synths into one output folder are serialized by a lock on its parent folder.
- :func:`install` moves a finished staging folder into place stack by stack with
  SIGINT/SIGTERM held back, so a signal cannot leave a half-moved output. Under
  the cdktf CLI, stack folders the new output lacks are left for the CLI, which
  removes them itself after the app ran (and fails if they are already gone).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

#: File in every synth output; its presence lets the next synth replace the folder.
MARKER = ".platform-synth"
MARKER_TEXT = "This folder is written by the platform's synth (main.py) and replaced by the next one.\n"

#: Entries of an output written before the marker existed.
_LEGACY_ENTRIES = {"manifest.json", "stacks"}


class OutputError(Exception):
    """The output folder cannot be used or written; ``str()`` is one line."""

    def __init__(self, outdir: Path | str, message: str):
        super().__init__(f"{outdir}: (outdir): {message}")


def under_cdktf_cli(outdir: Path) -> bool:
    """True when the cdktf CLI runs this synth into ``outdir`` (it sets both variables)."""
    cli_outdir = os.environ.get("CDKTF_OUTDIR")
    return "CDKTF_CONTEXT_JSON" in os.environ and cli_outdir is not None and Path(cli_outdir).resolve() == outdir.resolve()


def is_synth_output(folder: Path) -> bool:
    if (folder / MARKER).is_file():
        return True
    names = {p.name for p in folder.iterdir()}
    if not names or not names <= _LEGACY_ENTRIES or "manifest.json" not in names:
        return False
    try:
        return isinstance(json.loads((folder / "manifest.json").read_text()).get("stacks"), dict)
    except (OSError, ValueError, AttributeError):
        return False


def check_outdir(outdir: Path, protected: Iterable[Path]) -> None:
    """Refuse an output path that is not ours to replace; see the module docstring."""
    target = outdir.resolve()
    for path in protected:
        path = Path(path).resolve()
        if path == target or target in path.parents:
            raise OutputError(outdir, f"holds {path.name}, which this synth reads: choose a separate output folder such as cdktf.out")
    if target.exists() and not target.is_dir():
        raise OutputError(outdir, "exists and is not a folder: choose another --outdir; synth never replaces a file")
    if target.is_dir():
        try:
            if any(target.iterdir()) and not is_synth_output(target):
                raise OutputError(outdir, f"is a folder a synth did not make (no {MARKER} in it) and is not empty: "
                                          "choose a new or empty folder; synth replaces only its own output")
        except PermissionError as exc:
            raise OutputError(outdir, f"cannot be read ({exc.strerror}): choose a writable --outdir") from None


@contextlib.contextmanager
def locked(outdir: Path, say=None) -> Iterator[None]:
    """Hold an exclusive lock on ``outdir``'s parent folder: one synth into it at a time."""
    parent = outdir.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(parent, os.O_RDONLY)
    except OSError as exc:
        raise OutputError(outdir, f"cannot create or open its parent folder ({exc.strerror or exc}): choose a writable --outdir") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            (say or _stderr)(f"{outdir}: waiting for another synth into this folder to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def make_staging(outdir: Path) -> Path:
    """A fresh hidden sibling of ``outdir`` with ordinary permissions (not mkdtemp's 0700)."""
    target = outdir.resolve()
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)
    except OSError as exc:
        raise OutputError(outdir, f"cannot write beside the output folder ({exc.strerror or exc}): choose a writable --outdir") from None
    (staging / MARKER).write_text(MARKER_TEXT)
    return staging


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends (then arrive as usual)."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def install(staging: Path, outdir: Path) -> None:
    """Move the finished ``staging`` folder into ``outdir`` (checked by :func:`check_outdir`)."""
    target = outdir.resolve()
    with signals_held():
        try:
            if not target.exists():
                os.rename(staging, target)
                return
            _install_into(staging, target, keep_orphans=under_cdktf_cli(target))
        except OSError as exc:
            raise OutputError(outdir, f"cannot move the new output into place ({exc.strerror or exc}); "
                                      "the previous output is still there") from None


def _install_into(staging: Path, target: Path, keep_orphans: bool) -> None:
    """Swap stack folders and top-level files one rename at a time; undo them all if one fails."""
    trash = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    done: list[tuple[Path, Path]] = []

    def move(src: Path, dst: Path) -> None:
        os.rename(src, dst)
        done.append((src, dst))

    try:
        old_stacks, new_stacks = target / "stacks", staging / "stacks"
        if not old_stacks.is_dir():
            move(new_stacks, old_stacks)
        else:
            fresh = {p.name for p in new_stacks.iterdir()}
            for old in sorted(old_stacks.iterdir()):
                if old.name in fresh or not keep_orphans:
                    move(old, trash / f"stack-{old.name}")
            for name in sorted(fresh):
                move(new_stacks / name, old_stacks / name)
        for item in sorted(target.iterdir()):
            if item.name != "stacks":
                move(item, trash / f"top-{item.name}")
        for item in sorted(staging.iterdir()):
            if item.name != "stacks":
                move(item, target / item.name)
        target.chmod(staging.stat().st_mode & 0o777)
    except OSError:
        for src, dst in reversed(done):
            with contextlib.suppress(OSError):
                os.rename(dst, src)
        raise
    finally:
        shutil.rmtree(trash, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
