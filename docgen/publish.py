"""Publishing a build as one step: the output folder holds the whole previous build or the whole new one.

Design
------
A build never writes into the output folder itself.  For an output folder ``<parent>/<name>`` it works
next to it, in the same parent (so on the same file system):

``<parent>/.<name>.docgen.lock``
    an exclusive ``flock`` held for the whole build.  A second build into the same folder waits until
    the first has finished (it says so on stderr) and then publishes after it: the last build to finish
    wins, and neither sees the other's half-made files.  The kernel drops the lock when its process
    dies, so a killed build never blocks the next one.  The file is removed when the build ends (the
    remover holds the lock, and a build that locked a file that has since been removed starts again).
``<parent>/.<name>.docgen-staging-<random>``
    the new output folder.  Every file of the build is written here; then everything in the current
    output folder that docgen did not make is carried over (see below); then the manifest is written,
    every file and folder is flushed to disk (``fsync``), and the staging folder is **swapped** with
    the output folder in one step.

The swap.  On Linux, ``renameat2(staging, output, RENAME_EXCHANGE)`` exchanges the two names
atomically: there is no moment, even across a power cut, when ``<name>`` is not either the complete
old tree or the complete new one.  Afterwards the staging name holds the old tree, which is deleted.
Where ``renameat2`` is unavailable (not Linux, old kernels, file systems without the exchange), the
swap is two renames: the output folder is renamed to ``.<name>.docgen-previous``, then the staging
folder to ``<name>``.  Between those two renames — two system calls, microseconds apart — the output
folder is absent; a build killed exactly there leaves the complete previous build under the
``-previous`` name and the next build (or any build into that folder) puts it back first.  Nothing
ever lies in ``<name>`` that is not one complete build.

What docgen made, and what it did not.  The folder may hold things docgen did not make: a ``.gitkeep``,
the staff's own files, ``examples/`` written by other builds, the 新旧対照表 of ``docgen diff``.  Each
build writes ``.docgen-manifest.json`` (the files it made, with their SHA-256) into its tree.  Before
the swap, every entry of the current output folder that the previous manifest does not list is
carried over into the staging tree — files as hard links (or copies where a link cannot be made),
folders recursively — and never moved, so a kill at any moment cannot lose them: until the swap they
are in the old tree, after it in the new.  (What is saved into the output folder after it was carried
over, in the last moments before the swap, is moved from the old tree into the new one after the swap.)
Files that the previous manifest lists and this build no
longer makes (a 所管課 that disappeared) are not carried over, so they go with the old tree.  A file
docgen did not make that has the name of a file docgen now makes is replaced by docgen's (as a plain
``os.replace`` would); a *folder* in such a place, or a file where docgen needs a folder, stops the
build before anything is swapped.  An output folder made before manifests existed has no manifest:
everything in it is kept, and only the names the new build makes are replaced.

Left-overs.  A build that is killed leaves its staging folder (and perhaps the ``-previous`` folder and
the lock file).  Every build, once it holds the lock, first puts a ``-previous`` folder back (when the
output folder is missing) or removes it (when the swap had finished), and removes every staging
folder of that output folder — no other build can be using them while it holds the lock.  Staging
folders of the old layout (``.staging-*`` inside the output folder) are not carried over, so they go
with the old tree.  Staging folders of other docgen outputs nested in this one are not carried over
either: such a nested build that is still running when this one swaps fails with a message and leaves
its own output as it was.

Other consequences of swapping the folder: a symlinked output folder is followed and the folder it
points to is swapped (the link is kept); a build refuses an output folder that is a mount point or the
folder it is run from (or one that contains it), and one whose parent folder cannot be written.  A
program that keeps the output folder open as its working folder (a shell that ``cd``-ed into it) goes on
seeing the previous build until it enters the folder again.

Errors.  Everything that fails before the swap raises :class:`PublishError` whose message says what is
true: the previous output is untouched (or there was none).  Nothing after the swap can fail the
build (removing the old tree is best effort; its left-overs are removed by the next build).

``docgen diff`` publishes the same way: its 新旧対照表 (PDF and Word) are *added* to the output
folder in one swap (:meth:`Publication.commit` with ``adding``), so the pair is never half new.

For tests, ``DOCGEN_TEST_PUBLISH_DELAY`` (seconds) sleeps between the steps of publishing, so a test can
kill a build while it publishes.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import sys
import time
import unicodedata
from pathlib import Path, PurePosixPath
from typing import Iterable

MANIFEST = ".docgen-manifest.json"
MAX_NAME_BYTES = 240  # a file name's stem; the extension (≤ 5 bytes) keeps it under 255 (ext4, APFS, NTFS)

_LEGACY_STAGING = re.compile(r"\.staging-[A-Za-z0-9_]{8}")  # left in the output folder by the per-file mover
_NESTED_STAGING = re.compile(r"\..*\.docgen-staging-[0-9a-f]+")

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{p}{d}" for p in ("COM", "LPT") for d in "0123456789¹²³")}


class PublishError(Exception):
    """The build was not published.  The message (Japanese) says what is true of the output folder."""

    def __init__(self, message: str, *, previous_intact: bool = True):
        super().__init__(message)
        self.previous_intact = previous_intact


# ---- file names ---------------------------------------------------------------------------------

def safe_file_name(name: str) -> str:
    """``name`` made a valid file name stem on Windows, macOS and Linux alike, deterministically.

    Characters Windows forbids and control characters become ``_``; leading and trailing spaces and dots
    go (Windows drops trailing ones; a leading dot hides the file), and so do spaces before a dot; an
    empty result is ``_``; a reserved device name (``CON``, ``NUL``, ``COM1`` … with any extension) gets
    a leading ``_``; a name longer than
    :data:`MAX_NAME_BYTES` in UTF-8 is cut at a character and ends in ``~`` and 8 hex digits of the whole
    name's SHA-256, so two long names that share their beginning stay apart.
    """
    safe = re.sub(r" +(?=\.)", "", _UNSAFE.sub("_", name)).strip(" .") or "_"
    if safe.split(".", 1)[0].rstrip(" ").upper() in _RESERVED:
        safe = "_" + safe
    raw = safe.encode("utf-8")
    if len(raw) > MAX_NAME_BYTES:
        tag = "~" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        cut = raw[:MAX_NAME_BYTES - len(tag)].decode("utf-8", errors="ignore").rstrip(" .")
        safe = cut + tag
    return safe


def same_name_key(name: str) -> str:
    """Two file names with the same key are the same file somewhere (macOS and Windows ignore case,
    macOS normalizes Unicode)."""
    return unicodedata.normalize("NFC", name).casefold()


# ---- the publication ----------------------------------------------------------------------------

class Publication:
    """A build's new output folder, swapped in by :meth:`commit`.

    ::

        with Publication("output") as pub:
            pub.check(paths)                    # before writing: folders in the way stop the build
            write every file under pub.staging
            pub.commit(paths)                   # carry over, manifest, flush, swap

    Leaving the block without :meth:`commit` (an exception) removes the staging folder and leaves the
    output folder as it was; an :class:`OSError` on the way out becomes a :class:`PublishError`.
    """

    def __init__(self, output: str | Path):
        self.given = str(output)
        self.target = Path(os.path.realpath(output))  # a symlinked output folder: the folder it points to
        self.parent = self.target.parent
        self.name = self.target.name
        if not self.name or self.target == self.parent:
            raise PublishError(f"出力先「{self.given}」には書けません（フォルダの一番上です）。"
                               "その中のフォルダを出力先にしてください。出力は作っていません。")
        base = f".{self.name}" if len(os.fsencode(self.name)) <= 180 else \
            "." + hashlib.sha256(os.fsencode(self.name)).hexdigest()[:16]
        self._lock_path = self.parent / f"{base}.docgen.lock"
        self._staging_prefix = f"{base}.docgen-staging-"
        self._previous = self.parent / f"{base}.docgen-previous"
        self.staging: Path | None = None
        self.swapped = False
        self.existed = False
        self._lock_fd: int | None = None

    # -- entering: refuse what cannot be swapped, lock, clean up, make the staging folder -----------

    def __enter__(self) -> Publication:
        if os.path.lexists(self.target) and not self.target.is_dir():
            raise PublishError(f"出力先「{self.given}」はフォルダではありません（同じ名前のファイルがあります）。"
                               "別の出力先を指定してください。出力は作っていません。")
        here = os.path.realpath(os.getcwd())
        if here == str(self.target) or here.startswith(str(self.target) + os.sep):
            raise PublishError(f"今いるフォルダが出力先「{self.given}」の中です。出力先はまるごと新しいものに"
                               "入れ替わるので、出力先の外のフォルダから実行してください。"
                               f"{self._untouched()}")
        if self.target.is_dir() and os.path.ismount(self.target):
            raise PublishError(f"出力先「{self.given}」は別のディスク（マウント）の入口なので、まるごと入れ替え"
                               "られません。その中のフォルダを出力先にしてください。前の出力はそのまま残っています。")
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            self._lock()
        except OSError as exc:
            raise self._os_error(exc) from exc
        try:
            self._clean_up()
            self.existed = self.target.is_dir()
            staging = self.parent / f"{self._staging_prefix}{secrets.token_hex(8)}"
            os.mkdir(staging)
            self.staging = staging
            if self.existed:
                os.chmod(staging, stat.S_IMODE(os.stat(self.target).st_mode))
        except BaseException as exc:
            self._unlock()
            if isinstance(exc, OSError):
                raise self._os_error(exc) from exc
            raise
        return self

    def __exit__(self, kind, exc, tb) -> None:
        try:
            if self.staging is not None and os.path.lexists(self.staging):
                shutil.rmtree(self.staging, ignore_errors=True)
            if self._previous.exists() and self.target.is_dir():
                shutil.rmtree(self._previous, ignore_errors=True)
        finally:
            self._unlock()
        if isinstance(exc, OSError) and not self.swapped:
            raise self._os_error(exc) from exc

    # -- before writing -------------------------------------------------------------------------

    def check(self, paths: Iterable[PurePosixPath]) -> None:
        """Stop before anything is written when the current output folder has something in the way of
        ``paths`` (relative to the output folder): a folder where a file goes, a file where a folder goes."""
        if not self.target.is_dir():
            return
        for path in paths:
            parts = path.parts
            for i in range(1, len(parts)):
                where = self.target.joinpath(*parts[:i])
                if os.path.lexists(where) and (where.is_symlink() or not where.is_dir()):
                    raise self._in_the_way(PurePosixPath(*parts[:i]), folder_needed=True)
            where = self.target / path
            if where.is_dir() and not where.is_symlink():
                raise self._in_the_way(path, folder_needed=False)

    # -- publishing -----------------------------------------------------------------------------

    def commit(self, paths: Iterable[PurePosixPath], *, adding: bool = False) -> None:
        """Swap the staging folder, holding ``paths`` (relative), in as the output folder.

        ``adding``: the files are added to the previous build instead of replacing it (``docgen diff``
        writes its 新旧対照表 pair this way, so the PDF and the Word file appear together or not at
        all).  Everything in the output folder is carried over, the previous build's files too, and the
        manifest stays the previous build's: the added files are not the build's, and the next build
        keeps them."""
        assert self.staging is not None
        made = {str(p): p for p in paths}
        _delay()
        files: dict[str, str] = {}
        for key in sorted(made):
            digest = _flush_file(self.staging / made[key])
            if not adding:
                files[key] = digest
        listed: set[str] = set()
        if self.existed:
            previous = _manifest(self.target / MANIFEST)
            if adding:
                files = {k: v for k, v in previous.items() if k not in made}
            else:
                listed = set(previous)
            folders = {str(parent) for p in made.values() for parent in p.parents if str(parent) != "."}
            self._carry(PurePosixPath(), listed, set(made), folders)
        manifest = self.staging / MANIFEST
        data = json.dumps({"docgen": 1, "files": files}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        with open(manifest, "w", encoding="utf-8") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        _flush_folders(self.staging)
        _delay()
        previous = self._swap()
        _delay()
        if previous is not None:
            self._rescue(previous, PurePosixPath(), listed, set(made))
            shutil.rmtree(previous, ignore_errors=True)

    def _carry(self, rel: PurePosixPath, listed: set[str], made: set[str], folders: set[str]) -> None:
        """Carry what docgen did not make from the output folder into the staging tree, under ``rel``."""
        source = self.target / rel
        for entry in sorted(os.scandir(source), key=lambda e: e.name):
            path = rel / entry.name
            key = str(path)
            folder = entry.is_dir(follow_symlinks=False)
            if not rel.parts and entry.name == MANIFEST:
                continue
            if folder and (_NESTED_STAGING.fullmatch(entry.name)
                           or (not rel.parts and _LEGACY_STAGING.fullmatch(entry.name))):
                continue  # staging folders: of killed builds of the old layout, or of nested builds
            destination = self.staging / path
            if folder:
                if key in made:
                    raise self._in_the_way(path, folder_needed=False)
                if not destination.is_dir():
                    os.mkdir(destination)
                    shutil.copystat(entry.path, destination, follow_symlinks=False)
                self._carry(path, listed, made, folders)
            else:
                if key in listed or key in made:
                    continue  # docgen's own file: this build's version, or gone with the old tree
                if key in folders:
                    raise self._in_the_way(path, folder_needed=True)
                _link_or_copy(entry.path, destination)
            if not rel.parts:
                _delay(0.25)

    def _rescue(self, previous: Path, rel: PurePosixPath, listed: set[str], made: set[str]) -> None:
        """After the swap: what appeared in the output folder after it was carried over (a file saved
        there during the last moments of the build) is moved into the new one.  Best effort."""
        try:
            entries = sorted(os.scandir(previous / rel), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            path = rel / entry.name
            key = str(path)
            try:
                folder = entry.is_dir(follow_symlinks=False)
                if (key in listed or key in made or (not rel.parts and entry.name == MANIFEST)
                        or (folder and (_NESTED_STAGING.fullmatch(entry.name)
                                        or (not rel.parts and _LEGACY_STAGING.fullmatch(entry.name))))):
                    continue
                try:
                    now = os.lstat(self.target / path)
                except FileNotFoundError:
                    now = None
                if folder:
                    if now is None:
                        os.rename(entry.path, self.target / path)
                    elif stat.S_ISDIR(now.st_mode):
                        self._rescue(previous, path, listed, made)
                    continue
                was = entry.stat(follow_symlinks=False)
                if now is None or (not stat.S_ISDIR(now.st_mode)
                                   and (now.st_dev, now.st_ino) != (was.st_dev, was.st_ino)):
                    os.replace(entry.path, self.target / path)
            except OSError:
                continue

    def _swap(self) -> Path | None:
        """Swap the staging folder in; the folder now holding the previous build (None: there was none)."""
        assert self.staging is not None
        if not self.existed:
            _rename(self.staging, self.target)
            self.swapped = True
            self.staging = None
            _flush_folder(self.parent)
            return None
        try:
            _exchange(self.staging, self.target)
        except OSError as exc:
            if exc.errno not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
                raise
            return self._swap_by_renames()
        self.swapped = True  # the staging name now holds the previous build
        _flush_folder(self.parent)
        return self.staging

    def _swap_by_renames(self) -> Path:
        """Where names cannot be exchanged: old aside, new in (the only moment without an output folder)."""
        assert self.staging is not None
        _rename(self.target, self._previous)
        _delay(0.5)
        try:
            _rename(self.staging, self.target)
        except OSError as exc:
            try:
                _rename(self._previous, self.target)
            except OSError:
                raise PublishError(
                    f"出力フォルダを入れ替える途中で失敗しました（{exc.strerror or exc}）。前の出力は"
                    f"「{self._previous}」にそのまま残っています。フォルダ名を「{self.name}」に戻してください。",
                    previous_intact=False) from exc
            raise
        self.swapped = True
        self.staging = None
        _flush_folder(self.parent)
        return self._previous

    # -- locking and cleaning up ----------------------------------------------------------------

    def _lock(self) -> None:
        waited = False
        while True:
            try:
                fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
            except PermissionError:
                fd = os.open(self._lock_path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            try:
                if not _try_lock(fd):
                    if not waited:
                        print(f"別の docgen build が同じ出力先「{self.given}」に書いています。終わるのを待っています…",
                              file=sys.stderr, flush=True)
                        waited = True
                    _wait_lock(fd)
                mine = os.fstat(fd)
                try:
                    now = os.stat(self._lock_path)
                except FileNotFoundError:
                    now = None
            except BaseException:
                os.close(fd)
                raise
            if now is not None and (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino):
                self._lock_fd = fd
                return
            os.close(fd)  # the build before us removed this lock file after we opened it: lock the new one

    def _unlock(self) -> None:
        if self._lock_fd is None:
            return
        try:
            if os.name == "posix":
                os.unlink(self._lock_path)
        except OSError:
            pass
        finally:
            os.close(self._lock_fd)
            self._lock_fd = None

    def _clean_up(self) -> None:
        """Left-overs of builds that were killed: put a previous build back, remove staging folders."""
        if self._previous.is_dir():
            if not os.path.lexists(self.target):
                _rename(self._previous, self.target)
                _flush_folder(self.parent)
            else:
                shutil.rmtree(self._previous)
        for entry in os.scandir(self.parent):
            if entry.name.startswith(self._staging_prefix):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)

    # -- messages -------------------------------------------------------------------------------

    def _untouched(self) -> str:
        return "前の出力はそのまま残っています。" if self.target.is_dir() else "出力は作っていません。"

    def _display(self, name: str | os.PathLike | None) -> str:
        """A path in a message: a path in the staging folder is shown where it would have been published."""
        if not name:
            return ""
        text = os.fsdecode(name)
        if self.staging is not None and (text == str(self.staging) or text.startswith(str(self.staging) + os.sep)):
            text = os.path.join(self.given, os.path.relpath(text, self.staging))
        return text

    def _os_error(self, exc: OSError) -> PublishError:
        where = f": {self._display(exc.filename)}" if exc.filename else ""
        return PublishError(f"ファイルを書けません{where}（{exc.strerror or exc}）。{self._untouched()}")

    def _in_the_way(self, path: PurePosixPath, folder_needed: bool) -> PublishError:
        shown = os.path.join(self.given, *path.parts)
        if folder_needed:
            what = f"「{shown}」はフォルダではありません（ファイルかリンクです）が、docgen はここにフォルダを作ります。"
        else:
            what = f"「{shown}」はフォルダですが、docgen はここにファイルを作ります。"
        return PublishError(f"出力先に作れないものがあります: {what}それを移すか名前を変えてから作り直してください。"
                            f"{self._untouched()}")


# ---- helpers ------------------------------------------------------------------------------------

def _delay(factor: float = 1.0) -> None:
    value = os.environ.get("DOCGEN_TEST_PUBLISH_DELAY")
    if value:
        time.sleep(float(value) * factor)


def _manifest(path: Path) -> dict[str, str]:
    """The files the previous build made, with their digests (none when there is no manifest or it
    cannot be read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(PurePosixPath(name)): str(digest) for name, digest in data["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _flush_file(path: Path) -> str:
    """Write a made file through to the disk; its SHA-256."""
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY)
    try:
        with os.fdopen(os.dup(fd), "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        os.fsync(fd)
    finally:
        os.close(fd)
    return digest.hexdigest()


def _flush_folder(path: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _flush_folders(root: Path) -> None:
    for folder, _, _ in os.walk(root, topdown=False):
        _flush_folder(Path(folder))


def _link_or_copy(source: str, destination: Path) -> None:
    try:
        os.link(source, destination, follow_symlinks=False)
    except OSError:
        if os.path.islink(source):
            os.symlink(os.readlink(source), destination)
        else:
            shutil.copy2(source, destination, follow_symlinks=False)


def _rename(source: Path, destination: Path) -> None:
    os.rename(source, destination)


_renameat2 = None


def _exchange(a: Path, b: Path) -> None:
    """Exchange the names ``a`` and ``b`` in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``)."""
    global _renameat2
    if _renameat2 is None:
        _renameat2 = False
        if sys.platform.startswith("linux"):
            import ctypes

            try:
                libc = ctypes.CDLL(None, use_errno=True)
                function = libc.renameat2
            except (OSError, AttributeError):
                pass
            else:
                function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
                function.restype = ctypes.c_int
                _renameat2 = function
    if not _renameat2:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    import ctypes

    at_fdcwd, rename_exchange = -100, 2
    if _renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _wait_lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        while not _try_lock(fd):
            time.sleep(0.2)
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
