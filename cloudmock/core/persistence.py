"""Durable state (``--state-dir``): every service's backends in one SQLite database.

What is kept, and why so:

* a snapshot: one row per service holding a pickle of that service's whole object graph
  (every account's and region's backend plus the service's shared dict). A service's
  backends reference each other through the shared dict (security groups, snapshots,
  transit gateways of every account sit in one registry, and a request in one account
  changes objects of another), so the graph is pickled at once, which keeps every
  object's identity; the clock and the temporary credentials STS issued, in ``meta``.
* after it, a log: one row per request that may have changed something (anything but
  ``Describe*``/``Get*``/``List*``; any request that created a backend or issued
  credentials; a read that applied a due scheduled transition or drew from an id
  stream), holding the request
  (operation, members, caller, region, id) and the moment it ran. A write thus costs a
  small row whatever the state's size; a restart replays the log at those moments.
  Replaying makes the same state because a backend's randomness comes from its seeded
  stream (for a server without ``--seed``, seeded from the directory) and a request
  sees one clock reading; a request that draws other randomness calls
  ``state.unrepeatable()`` and is saved by a snapshot instead.
* a snapshot replaces the log every ``SNAPSHOT_EVERY`` rows and at a clean close.

Each row is committed in one transaction, before the response leaves: with WAL and
``synchronous=FULL`` a ``kill -9`` keeps every acknowledged write and never half of
one. Durable mode runs one request at a time (one lock), so the log's order is the
order the requests changed the state in.

One process uses a directory at a time (an exclusive lock on ``cloudmock-state.lock``);
the log is replayed under the settings (seed, options, account mapping) it was written
under, kept beside it in ``meta``; a save the store refuses is a 503 to the client.

Backends hold lambdas (store indexes) and bound methods (scheduled events); the pickler
below saves a lambda as a reference to its code in its module (or, for code it cannot
find there, the marshalled code) plus its closure, and module-level objects (resource
kinds) by name. That ties a state file to the Python minor version and the cloudmock
version that wrote it, which are checked when it is opened.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import io
import itertools
import logging
import marshal
import os
import pickle
import sqlite3
import sys
import threading
import types
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.model import OperationModel

    from cloudmock.core.config import Config
    from cloudmock.core.dispatcher import Dispatcher
    from cloudmock.core.identity import Identity
    from cloudmock.core.plugin import Params, Result, ServicePlugin
    from cloudmock.core.state import State

from cloudmock.core.errors import ServiceError
from cloudmock.core.state import _UNREPEATABLE, draws

log = logging.getLogger("cloudmock")

#: bump when what is stored changes shape
FORMAT = 2
DB_NAME = "cloudmock-state.sqlite3"
#: log rows between snapshots: what a snapshot costs (the whole state) is paid once per
#: this many writes, and a restart after a ``kill -9`` replays at most this many requests
#: (``CLOUDMOCK_SNAPSHOT_EVERY`` sets it, e.g. for a crash test to kill snapshots too)
SNAPSHOT_EVERY = max(1, int(os.environ.get("CLOUDMOCK_SNAPSHOT_EVERY", "1000")))
#: operations whose names say they only read; any other operation is logged
_READS = ("Describe", "Get", "List")


class StateDirError(Exception):
    """A state directory cloudmock cannot use (missing rights, damaged, in use): its
    message says which and what to do; ``cloudmock server`` prints it and exits 2."""


class IncompatibleState(StateDirError):
    """A state file written by another cloudmock or Python version, or not one at all."""


class StateDirBusy(StateDirError):
    """Another cloudmock (server, ``mock_aws`` or ``state import``) holds the directory."""


#: held (an exclusive ``flock``) by whoever uses a state directory: two servers on one
#: directory would each replay, log and snapshot over the other's writes
LOCK_NAME = "cloudmock-state.lock"


def _stamp() -> dict[str, str]:
    from cloudmock import __version__

    return {
        "format": str(FORMAT),
        "cloudmock": __version__,
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
    }


def reads_only(operation: str) -> bool:
    return operation.startswith(_READS)


def scheduled(backend: Any) -> tuple[int, int] | None:
    """Where a backend's scheduled transitions stand (EC2 keeps a heap of
    ``(due, sequence, ...)`` in ``_events``): it changes when a request applies one or
    schedules one, reads included."""
    events = getattr(backend, "_events", None)
    if not isinstance(events, list):
        return None
    return len(events), events[0][1] if events else -1


# -- pickling what backends hold


def _function(
    code: types.CodeType,
    module: str,
    name: str,
    qualname: str,
    defaults: tuple[Any, ...] | None,
    kwdefaults: dict[str, Any] | None,
    cells: tuple[Any, ...] | None,
) -> types.FunctionType:
    closure = tuple(types.CellType(value) for value in cells) if cells is not None else None
    fn = types.FunctionType(code, vars(importlib.import_module(module)), name, defaults, closure)
    fn.__qualname__ = qualname
    fn.__kwdefaults__ = kwdefaults
    return fn


def _code(raw: bytes) -> types.CodeType:
    code: types.CodeType = marshal.loads(raw)
    return code


def _counter(start: int, step: int) -> Iterator[int]:
    return itertools.count(start, step)


_ATOMIC = (type(None), bool, int, float, complex, str, bytes, tuple, frozenset, dict, list, set)


class _Names:
    """Where module-level objects and function code of the loaded cloudmock modules
    live, so they are saved by name: a restored store keeps the very ``ResourceKind``
    its module defines, and a lambda's code is a reference, not marshalled bytes."""

    def __init__(self) -> None:
        self._modules = -1
        self._all = -1
        self.objects: dict[int, tuple[str, str]] = {}
        #: code object id -> (module, name, first line, n-th code of that name and line)
        self.codes: dict[int, tuple[str, str, int, int]] = {}
        self._by_ref: dict[str, dict[tuple[str, int, int], types.CodeType]] = {}

    def refresh(self) -> None:
        if len(sys.modules) == self._all:
            return  # nothing imported since (the scan below costs ~0.2 ms)
        self._all = len(sys.modules)
        loaded = [(n, m) for n, m in list(sys.modules.items()) if n.startswith("cloudmock.")]
        if len(loaded) == self._modules:
            return
        objects: dict[int, tuple[str, str]] = {}
        for module_name, module in loaded:
            for name, value in list(vars(module).items()):
                if isinstance(value, (types.ModuleType, type, types.FunctionType, *_ATOMIC)):
                    continue
                objects.setdefault(id(value), (module_name, name))
        self.objects = objects
        self._modules = len(loaded)

    def index(self, module: str) -> None:
        if module not in self._by_ref:
            self._index(module)

    def code(self, module: str, ref: tuple[str, int, int]) -> types.CodeType:
        self.index(module)
        return self._by_ref[module][ref]

    def _index(self, module: str) -> None:
        """Every code object defined in ``module``, as (name, first line, n-th such)."""
        found: list[types.CodeType] = []
        seen: set[int] = set()

        def walk_code(code: types.CodeType) -> None:
            if id(code) in seen:
                return
            seen.add(id(code))
            found.append(code)
            for const in code.co_consts:
                if isinstance(const, types.CodeType):
                    walk_code(const)

        def walk(value: Any, depth: int = 0) -> None:
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if isinstance(value, property):
                for part in (value.fget, value.fset, value.fdel):
                    if part is not None:
                        walk(part, depth)
            elif isinstance(value, types.FunctionType) and value.__module__ == module:
                walk_code(value.__code__)
            elif isinstance(value, type) and value.__module__ == module and depth < 4:
                for member in list(vars(value).values()):
                    walk(member, depth + 1)

        for value in list(vars(importlib.import_module(module)).values()):
            walk(value)
        by_ref: dict[tuple[str, int, int], types.CodeType] = {}
        counts: dict[tuple[str, int], int] = {}
        for code in found:
            name, line = code.co_name, code.co_firstlineno
            n = counts[name, line] = counts.get((name, line), -1) + 1
            self.codes[id(code)] = (module, name, line, n)
            by_ref[name, line, n] = code
        self._by_ref[module] = by_ref


_names = _Names()


def _global(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)


def _code_at(module: str, name: str, line: int, n: int) -> types.CodeType:
    return _names.code(module, (name, line, n))


_LOCKS: dict[type, Any] = {
    type(threading.Lock()): threading.Lock,
    type(threading.RLock()): threading.RLock,
}


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, state: State) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._state = state

    def reducer_override(self, obj: Any) -> Any:
        if obj is self._state:
            return _ref, ("state",)
        if obj is self._state.clock:
            return _ref, ("clock",)
        kind = type(obj)
        named = _names.objects.get(id(obj))
        if named is not None:
            return _global, named
        if kind is types.FunctionType and "<" in obj.__qualname__:
            # a lambda or nested function: saved by code, rebuilt in its module
            cells = (
                tuple(cell.cell_contents for cell in obj.__closure__)
                if obj.__closure__ is not None
                else None
            )
            _names.index(obj.__module__)  # its code is then saved by reference
            return _function, (
                obj.__code__,
                obj.__module__,
                obj.__name__,
                obj.__qualname__,
                obj.__defaults__,
                obj.__kwdefaults__,
                cells,
            )
        if kind in _LOCKS:
            # a lock is saved as a fresh one: nothing is held once the state is loaded
            return _LOCKS[kind], ()
        if kind is types.CodeType:
            ref = _names.codes.get(id(obj))
            if ref is not None:
                return _code_at, ref
            return _code, (marshal.dumps(obj),)
        if kind is itertools.count:
            # itertools.count stops pickling in Python 3.14: save where it is
            start, _, step = repr(obj)[6:-1].partition(", ")
            return _counter, (int(start), int(step or 1))
        return NotImplemented


def _ref(name: str) -> Any:  # replaced by the unpickler; never called
    raise pickle.UnpicklingError(f"a state reference ({name}) outside a state load")


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, state: State) -> None:
        super().__init__(file)
        self._state = state

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == "_ref":
            return self._resolve
        return super().find_class(module, name)

    def _resolve(self, name: str) -> Any:
        return self._state if name == "state" else self._state.clock


def dumps(value: Any, state: State) -> bytes:
    _names.refresh()
    buffer = io.BytesIO()
    _Pickler(buffer, state).dump(value)
    return buffer.getvalue()


def dumps_plain(value: Any, state: State) -> bytes:
    """``dumps`` for plain data (a request's members, a log row): the C pickler alone,
    unless something in it needs the state pickler."""
    try:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a lambda, a lock, ...: what the state pickler handles
        return dumps(value, state)


def loads(raw: bytes, state: State) -> Any:
    return _Unpickler(io.BytesIO(raw), state).load()


# -- the database


def _private_file(path: Path) -> None:
    """Create ``path`` 0600 if missing (SQLite gives its -wal/-shm files the same mode)."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def connect(path: Path) -> sqlite3.Connection:
    _private_file(path)
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
    conn.execute("CREATE TABLE IF NOT EXISTS graphs (service TEXT PRIMARY KEY, data BLOB NOT NULL)")
    conn.execute("CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY, data BLOB NOT NULL)")
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            os.chmod(side, 0o600)
    return conn


def check_compatible(conn: sqlite3.Connection, where: str) -> None:
    """Raise IncompatibleState unless ``conn`` was written by this cloudmock and Python."""
    try:
        rows = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError as error:
        raise IncompatibleState(f"{where} is not a cloudmock state file ({error})") from None
    if not rows:
        return
    expected = _stamp()
    found = {key: rows.get(key) for key in expected}
    if found != expected:
        raise IncompatibleState(
            f"{where} was written by cloudmock {found['cloudmock']} (state format "
            f"{found['format']}, Python {found['python']}); this is cloudmock "
            f"{expected['cloudmock']} (format {expected['format']}, Python "
            f"{expected['python']}), which cannot read it. Recreate the state with this version."
        )


def _rollback(conn: sqlite3.Connection) -> None:
    """Undo an open transaction (SQLite has already undone it after some errors, e.g.
    a full disk: a ROLLBACK then would raise over the error that matters)."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def _stamp_rows(conn: sqlite3.Connection) -> None:
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(_stamp().items()))


def open_dir(directory: str | os.PathLike[str]) -> Path:
    """The database path in ``directory``, created 0700 if missing."""
    if not os.fspath(directory):
        # an unset variable (``--state-dir "$STATE"``) would mean the current directory
        raise StateDirError("the state directory is an empty path; name a directory")
    path = Path(directory)
    try:
        if not path.exists():
            path.mkdir(mode=0o700, parents=True, exist_ok=True)  # another start may race
            os.chmod(path, 0o700)
        elif not path.is_dir():
            raise StateDirError(f"state directory {path} is not a directory")
        elif path.stat().st_mode & 0o077:
            log.warning("cloudmock: state directory %s is readable by other users", path)
    except OSError as error:
        raise StateDirError(f"cannot use {path} as a state directory: {_reason(error)}") from None
    return path / DB_NAME


def _reason(error: BaseException) -> str:
    """An OS or SQLite error as one short phrase (no errno noise, no traceback)."""
    if isinstance(error, OSError) and error.strerror:
        where = f" ({error.filename})" if error.filename else ""
        return f"{error.strerror.lower()}{where}"
    return str(error) or type(error).__name__


def _damaged(path: Path, error: BaseException) -> StateDirError:
    """What to say of a state file SQLite cannot read or write."""
    if isinstance(error, sqlite3.OperationalError) or not isinstance(error, sqlite3.DatabaseError):
        # no rights, a read-only or full file system, a directory in the file's place, ...
        return StateDirError(f"cannot use the state file {path}: {_reason(error)}")
    return IncompatibleState(
        f"{path} is damaged or is not a cloudmock state file ({_reason(error)}); move it "
        "away to start afresh, or import an exported state (cloudmock state import)"
    )


class StateNotSaved(ServiceError):
    """A save of the state failed: the request may have taken effect in memory, but it
    is not on disk (yet), so it is not acknowledged."""

    code = "ServiceUnavailable"
    status = 503
    sender_fault = False

    def __init__(self, directory: Path, reason: str) -> None:
        super().__init__(
            f"cloudmock could not save its state in {directory} ({reason}); "
            "the request is not saved. Retry once the state directory is writable."
        )


class DirLock:
    """An exclusive lock on a state directory, held while it is in use: a second
    server (or ``state import``) on the directory is refused instead of writing over
    the first's state. The lock file holds the holder's process id, for the message;
    the OS drops the lock when the holder dies (``kill -9`` included)."""

    def __init__(self, directory: Path) -> None:
        path = directory / LOCK_NAME
        try:
            self._fd: int | None = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        except OSError as error:
            raise StateDirError(
                f"cannot use {directory} as a state directory: {_reason(error)}"
            ) from None
        try:
            os.chmod(path, 0o600)
            if not _try_lock(self._fd):
                holder = ""
                with contextlib.suppress(OSError):  # Windows: the locked byte is unreadable
                    os.lseek(self._fd, 0, os.SEEK_SET)
                    holder = os.read(self._fd, 32).decode(errors="replace").strip()
                raise StateDirBusy(
                    f"state directory {directory} is in use by another cloudmock"
                    + (f" (process {holder})" if holder.isdigit() else "")
                    + "; stop it first, or give this one another directory"
                )
            with contextlib.suppress(OSError):  # only for the message (a full disk...)
                os.ftruncate(self._fd, 0)
                os.lseek(self._fd, 0, os.SEEK_SET)
                os.write(self._fd, str(os.getpid()).encode())
        except OSError as error:
            os.close(self._fd)
            self._fd = None
            raise StateDirError(
                f"cannot use {directory} as a state directory: {_reason(error)}"
            ) from None
        except BaseException:
            os.close(self._fd)
            self._fd = None
            raise

        # a holder dropped without being closed lets the directory go when collected
        self._finalizer = weakref.finalize(self, os.close, self._fd)
        _held.add(self)

    def forget(self) -> None:
        """In a forked child: drop the inherited descriptor (the parent holds the lock;
        kept, it would hold the directory after the parent let it go)."""
        if self._fd is not None:
            self._finalizer.detach()
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None

    def release(self) -> None:
        if self._fd is not None:
            self._finalizer.detach()
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None


#: the locks this process holds
_held: weakref.WeakSet[DirLock] = weakref.WeakSet()


def _forget_held() -> None:
    for held in list(_held):
        held.forget()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_held)


def _try_lock(fd: int) -> bool:
    os.lseek(fd, 0, os.SEEK_SET)
    try:
        import fcntl
    except ImportError:  # Windows: a byte-range lock on the file's first byte
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


class Durable:
    """The state directory of one :class:`State`: restore at start (the last snapshot, then
    the log replayed), then one small log row per request that changed something."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.path = open_dir(directory)
        self._dir_lock = DirLock(self.path.parent)
        try:
            self.conn = connect(self.path)
        except (OSError, sqlite3.Error) as error:
            self._dir_lock.release()
            raise _damaged(self.path, error) from None
        try:
            check_compatible(self.conn, str(self.path))
            #: the seed of id streams of a state without one (``State._rng_for``):
            #: replaying the log must make the same ids as the first run
            self.seed = self._seed()
            #: log rows committed since the last snapshot
            self._logged = self.conn.execute("SELECT count(*) FROM log").fetchone()[0]
        except BaseException as error:
            self.release()
            if isinstance(error, (OSError, sqlite3.Error)):
                raise _damaged(self.path, error) from None
            raise
        #: held by every request in durable mode (and by reset): one change at a time
        self.lock = threading.RLock()
        self._depth = 0
        #: log rows of requests run but not yet committed, in the order they ran
        self._pending: list[bytes] = []
        #: changes outside any request (a backend made, credentials issued, the clock)
        self._touched: set[str] = set()
        # group commit: requests note the open generation; a save closes it
        self._saving = threading.Condition(threading.Lock())
        self._generation = 0
        self._saved = -1
        self._busy = False
        #: how many changes were noted so far (a request compares it before and after)
        self._changes = 0
        #: why the last save failed (None: it did not): a write then waits for a save
        #: of what is pending to succeed before it runs
        self._failing: str | None = None

    def _seed(self) -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'seed'").fetchone()
        if row is not None:
            return str(row[0])
        seed = os.urandom(16).hex()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            _stamp_rows(self.conn)
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('seed', ?)", (seed,))
            self.conn.execute("COMMIT")  # may fail too (a full disk): undone below
        except BaseException:
            _rollback(self.conn)
            raise
        return seed

    # -- restore

    def restore(self, state: State) -> None:
        """The last snapshot, then every logged request replayed at its own moment."""
        try:
            self._restore(state)
        except (OSError, sqlite3.Error) as error:
            raise _damaged(self.path, error) from None

    def _restore(self, state: State) -> None:
        rows = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        if "credentials" in rows:
            for issued in loads(rows["credentials"], state):
                state.credentials.issue(issued)
        for service, data in self.conn.execute("SELECT service, data FROM graphs"):
            try:
                graph = loads(data, state)
            except Exception as error:  # a class renamed or a plugin gone since the save
                raise IncompatibleState(
                    f"{self.path}: the saved {service} state cannot be loaded by this "
                    f"installation ({type(error).__name__}: {error}). Recreate the state."
                ) from error
            state.adopt(service, graph["slots"], graph["shared"])
        log_rows = self.conn.execute("SELECT data FROM log ORDER BY seq").fetchall()
        logged_under = loads(rows["config"], state) if "config" in rows else None
        if log_rows:
            # the settings the log was written under (a restart may name another --seed
            # or --option): the replay must draw the same ids and meet the same limits
            current = state.config
            if logged_under is not None:
                fields = {field.name for field in dataclasses.fields(current)}
                state.config = dataclasses.replace(
                    current, **{k: v for k, v in logged_under.items() if k in fields}
                )
            try:
                _replay(state, [row[0] for row in log_rows])
            finally:
                state.config = current
        if "clock" in rows:
            offset, frozen = loads(rows["clock"], state)
            state.clock._offset = offset  # restoring the clock's own fields
            state.clock._frozen_at = frozen
        if logged_under != _replayed_settings(state.config):
            if self._logged:
                # the log from here on is written under other settings: it starts afresh
                self._snapshot(state)
            else:
                self._write_settings(state)

    def _write_settings(self, state: State) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO meta VALUES ('config', ?)",
            (dumps_plain(_replayed_settings(state.config), state),),
        )

    # -- writing

    def invoke(
        self,
        dispatcher: Dispatcher,
        plugin: ServicePlugin[Any],
        operation: OperationModel,
        params: Params,
        identity: Identity,
        region: str,
        request_id: str,
        validate: Callable[[Params], None] | None,
    ) -> Result:
        """``Dispatcher.invoke`` with a state directory: one request at a time, seeing one
        moment; a request that changed something is logged (what it was asked, not what
        it did) and its response waits until that row is committed (group commit:
        requests that ran while a save was busy are committed together by the next)."""
        state = dispatcher.state
        generation: int | None = None
        try:
            with self.lock:
                outer = self._depth == 0
                if outer and self._failing is not None and not reads_only(operation.name):
                    # the store refused the last save: retry it, and refuse this write
                    # (before it runs) while it still fails, rather than pile up
                    # changes that exist in memory only
                    self._save(state)
                changes = self._changes
                if not reads_only(operation.name):
                    self._changes += 1
                entry: _Entry | None = None
                drawn = draws()
                if outer:
                    entry = _Entry(state.clock.time(), dumps_plain(params, state))  # before the
                    # handler runs: it may change the members it was given
                    _pin(state, entry.moment)
                    if validate is not None:
                        validate = entry.watch(validate)
                    token = _UNREPEATABLE.set(entry.unrepeatable)
                self._depth += 1
                try:
                    backend = state.slot(plugin, identity.account_id, region).backend
                    before = scheduled(backend)
                    try:
                        return dispatcher.invoke(
                            plugin,
                            operation,
                            params,
                            identity,
                            region,
                            request_id,
                            validate,
                            logged=True,
                        )
                    finally:
                        if scheduled(backend) != before:
                            # a read that applied due transitions: what they schedule
                            # next is timed from now, so it is logged like a write
                            self._changes += 1
                except BaseException as error:
                    if entry is not None:
                        entry.outcome = _outcome(error)
                    raise
                finally:
                    self._depth -= 1
                    if draws() != drawn:
                        self._changes += 1  # a read that drew ids: logged, to draw them again
                    if entry is not None:
                        _pin(state, None)
                        _UNREPEATABLE.reset(token)
                        if entry.whole:
                            # a snapshot: the next save writes it (and all run before)
                            self._touched.add(plugin.name)
                            generation = self._generation
                        elif self._changes != changes:
                            self._pending.append(
                                entry.row(
                                    state, plugin.name, operation.name, identity, region, request_id
                                )
                            )
                            generation = self._generation
        finally:
            if generation is not None:
                self._saved_through(state, generation)

    def _saved_through(self, state: State, generation: int) -> None:
        """Return once every change made before ``generation`` closed is committed."""
        with self._saving:
            while self._saved < generation:
                if not self._busy:
                    self._busy = True
                    break
                self._saving.wait()
            else:
                return
        saved = -1
        try:
            with self.lock:
                closing = self._generation
                self._generation += 1
                self._save(state)
                saved = closing  # only once committed: a failed save saves nothing
        finally:
            with self._saving:
                self._busy = False
                self._saved = max(self._saved, saved)
                self._saving.notify_all()

    def _save(self, state: State) -> None:
        """``_write``, answering a failure (a full or read-only file system, the file
        gone) with an AWS-shaped 503 and one log line rather than a traceback; what
        stays pending is committed by the next save that succeeds."""
        try:
            self._write(state)
        except (OSError, sqlite3.Error) as error:
            reason = _reason(error)
            if self._failing != reason:
                log.error("cloudmock: cannot save the state in %s: %s", self.path.parent, reason)
            self._failing = reason
            raise StateNotSaved(self.path.parent, reason) from None
        if self._failing is not None:
            log.warning("cloudmock: the state in %s is saved again", self.path.parent)
            self._failing = None

    def changed(self, state: State, what: str) -> None:
        """``what`` (a service, ``credentials`` or ``clock``) changed: inside a request,
        the request is logged; outside any, written at once (a service or credentials
        by a snapshot, the clock by its row)."""
        with self.lock:
            self._changes += 1
            if self._depth == 0:
                self._touched.add(what)
                # at once, under the lock (the caller may hold it: no waiting here)
                self._save(state)

    def _write(self, state: State) -> None:
        """Commit what is pending in one transaction (under the lock): the log rows, or a
        snapshot instead once the log is long or something changed outside a request. On
        failure everything stays pending, so no later save forgets it."""
        pending, self._pending = self._pending, []
        touched, self._touched = self._touched, set()
        try:
            if not pending and not touched:
                return
            if touched - {"clock"} or self._logged + len(pending) >= SNAPSHOT_EVERY:
                self._snapshot(state)  # covers every request run so far
                return
            self._append(state, pending, "clock" in touched)
        except BaseException:
            self._pending[:0] = pending
            self._touched |= touched
            raise

    def _append(self, state: State, pending: list[bytes], clock: bool) -> None:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("INSERT INTO log (data) VALUES (?)", [(row,) for row in pending])
            if clock:
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('clock', ?)", (_clock(state),))
            conn.execute("COMMIT")  # may fail too (a full disk): undone below
        except BaseException:
            _rollback(conn)
            raise
        self._logged += len(pending)

    def _snapshot(self, state: State) -> None:
        """Every service's whole graph, the credentials and the clock; the log emptied."""
        rows: list[tuple[str, bytes]] = []
        for service in state.services():
            slots, shared = state.graph(service)
            rows.append((service, dumps({"slots": slots, "shared": shared}, state)))
        meta = [
            ("config", dumps_plain(_replayed_settings(state.config), state)),
            ("clock", _clock(state)),
            ("credentials", dumps(state.issued(), state)),
            ("seed", self.seed),
        ]
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            _stamp_rows(conn)
            conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta)
            conn.execute("DELETE FROM graphs")
            conn.executemany("INSERT INTO graphs VALUES (?, ?)", rows)
            conn.execute("DELETE FROM log")
            conn.execute("COMMIT")  # may fail too (a full disk): undone below
        except BaseException:
            _rollback(conn)
            raise
        self._logged = 0

    def clear(self, state: State) -> None:
        """Forget everything on disk (``State.reset``), keeping the fresh clock; new id
        streams (a fresh seed) from here on."""
        with self.lock:
            self._pending.clear()
            # until a snapshot replaces the old one and its log on disk, every save is
            # that snapshot (a row appended to the old log would be replayed onto it)
            self._touched = {"reset"}
            self.seed = os.urandom(16).hex()
            state._durable_seed = self.seed
            self._save(state)

    def close(self, state: State) -> None:
        """A last snapshot (a restart then has no log to replay), then close."""
        with self.lock:
            try:
                if self._logged or self._pending:
                    self._snapshot(state)
            except (OSError, sqlite3.Error) as error:  # the log holds what was acknowledged
                log.error(
                    "cloudmock: could not write a last snapshot of %s (%s); the next start "
                    "replays its log instead",
                    self.path,
                    _reason(error),
                )
            except Exception:
                log.exception("cloudmock: could not write a last snapshot of %s", self.path)
            finally:
                self.release()

    def release(self) -> None:
        """Close the database and let another cloudmock use the directory."""
        try:
            self.conn.close()
        finally:
            self._dir_lock.release()


@dataclass
class _Entry:
    """One request as the log keeps it: enough to run it again, at the same moment."""

    moment: float
    params: bytes
    #: None: no constraint check ran; else whether it passed
    checked: bool | None = None
    #: None: answered; else the error code (or exception) it ended with
    outcome: str | None = None
    #: it did what a replay would not do alike: saved by a snapshot instead
    whole: bool = False

    def unrepeatable(self) -> None:
        self.whole = True

    def watch(self, validate: Callable[[Params], None]) -> Callable[[Params], None]:
        def checking(members: Params) -> None:
            self.checked = False
            validate(members)
            self.checked = True

        return checking

    def row(
        self,
        state: State,
        service: str,
        operation: str,
        identity: Identity,
        region: str,
        request_id: str,
    ) -> bytes:
        return dumps_plain(
            (
                self.moment,
                service,
                operation,
                self.params,
                identity,
                region,
                request_id,
                self.checked,
                self.outcome,
            ),
            state,
        )


def _replayed_settings(config: Config) -> dict[str, Any]:
    """What of a state's settings a request's outcome depends on (ids, accounts, service
    options), kept beside the log it is written under; signature keys are not."""
    return {
        "seed": config.seed,
        "default_account_id": config.default_account_id,
        "access_keys": dict(config.access_keys),
        "services": {name: dict(raw) for name, raw in config.services.items()},
    }


def _outcome(error: BaseException) -> str:
    code = getattr(error, "code", None)
    return code if isinstance(code, str) else type(error).__name__


def _pin(state: State, moment: float | None) -> None:
    state.clock._pinned = moment  # type: ignore[attr-defined]  # a _PinnedClock


def _clock(state: State) -> bytes:
    clock = state.clock
    return dumps((clock._offset, clock._frozen_at), state)


class _Replayed(Exception):
    """A constraint check that failed when the request first ran fails again."""


def _refused(members: Params) -> None:
    raise _Replayed()


def _passed(members: Params) -> None:
    pass


def _replay(state: State, rows: list[bytes]) -> None:
    """Run the logged requests again, in order, each at its moment, as they first ran (the
    state then holds no directory: nothing is written while it replays)."""
    from cloudmock.core.dispatcher import Dispatcher
    from cloudmock.core.registry import default_registry
    from cloudmock.core.state import _installed

    dispatcher = Dispatcher(default_registry(), state)
    try:
        for data in rows:
            try:
                moment, service, name, raw, identity, region, request_id, checked, outcome = loads(
                    data, state
                )
                plugin = _installed(service)
                operation = plugin.service_model.operation_model(name)
                params = loads(raw, state)
            except Exception as error:  # a plugin or an operation gone since it was logged
                raise IncompatibleState(
                    f"{DB_NAME}: a logged request cannot be replayed by this installation "
                    f"({type(error).__name__}: {error}). Recreate the state."
                ) from error
            validate = None if checked is None else _passed if checked else _refused
            _pin(state, moment)
            got: str | None = None
            try:
                dispatcher.invoke(plugin, operation, params, identity, region, request_id, validate)
            except _Replayed:
                got = outcome
            except Exception as error:  # it ended so the first time too (checked below)
                got = _outcome(error)
            if got != outcome:
                log.warning(
                    "cloudmock: replaying %s %s (request %s) from %s ended with %s, not %s",
                    service,
                    name,
                    request_id,
                    DB_NAME,
                    got or "an answer",
                    outcome or "an answer",
                )
    finally:
        _pin(state, None)


# -- export / import (``cloudmock state export|import``)


def export_state(directory: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Copy the state in ``directory`` to ``target``, one self-contained SQLite file (0600).
    A server may be running on the directory: the copy is of one committed moment."""
    source_path = Path(directory) / DB_NAME
    source = _read_only(source_path, f"no cloudmock state in {directory} (no {DB_NAME})")
    try:
        check_compatible(source, str(source_path))
        target_path = Path(target)
        if _one_of_the_state_files(target_path, source_path.parent):
            # replacing it would pull the database from under the server that uses it
            raise StateDirError(f"cannot export {directory} onto its own file {target}")
        if target_path.is_dir():
            raise StateDirError(f"cannot write {target}: it is a directory")
        # written beside the target, then renamed over it: an export that fails or is
        # killed half-way leaves the previous file at ``target`` as it was
        partial = target_path.with_name(f".{target_path.name}.{os.getpid()}.partial")
        try:
            _remove(partial)
            _private_file(partial)
            copy = sqlite3.connect(partial)
        except (OSError, sqlite3.Error) as error:
            raise StateDirError(f"cannot write {target}: {_reason(error)}") from None
        try:
            try:
                source.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")  # one file, nothing beside it
            except sqlite3.Error as error:
                raise _damaged(source_path, error) from None
            finally:
                copy.close()
            try:
                os.replace(partial, target_path)
            except OSError as error:
                raise StateDirError(f"cannot write {target}: {_reason(error)}") from None
        finally:
            _remove(partial)
            _remove(Path(f"{partial}-journal"))
    finally:
        source.close()


def _read_only(path: Path, missing: str) -> sqlite3.Connection:
    """``path`` opened read-only; ``missing``: what to say if there is no such file."""
    if not path.is_file():
        raise StateDirError(missing)
    try:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise _damaged(path, error) from None


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _one_of_the_state_files(path: Path, directory: Path) -> bool:
    """Whether ``path`` is the database of ``directory``, its WAL, shared memory or lock."""
    names = (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal", LOCK_NAME)
    try:
        where = path.resolve()
        return any(where == (directory / name).resolve() for name in names)
    except OSError:
        return False


def import_state(source: str | os.PathLike[str], directory: str | os.PathLike[str]) -> None:
    """Replace the state in ``directory`` by the exported file ``source`` (refused while
    a cloudmock uses that directory)."""
    source_path = Path(source)
    incoming = _read_only(source_path, f"no such file: {source}")
    try:
        try:
            tables = {row[0] for row in incoming.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as error:
            raise IncompatibleState(f"{source} is not a cloudmock state file ({error})") from None
        if not {"meta", "graphs"} <= tables:
            raise IncompatibleState(f"{source} is not a cloudmock state file")
        check_compatible(incoming, str(source))
        if not incoming.execute("SELECT 1 FROM meta WHERE key = 'format'").fetchone():
            raise IncompatibleState(f"{source} is not a cloudmock state file (no version)")
        path = open_dir(directory)
        if _one_of_the_state_files(source_path, path.parent):
            raise StateDirError(f"{source} is the state of {directory} already")
        held = DirLock(path.parent)  # a server on the directory would write over it
        try:
            conn = connect(path)
            try:
                incoming.backup(conn)
                conn.execute("PRAGMA journal_mode=WAL")
            finally:
                conn.close()
        except sqlite3.DatabaseError as error:
            raise _damaged(source_path if "malformed" in str(error) else path, error) from None
        finally:
            held.release()
    finally:
        incoming.close()
