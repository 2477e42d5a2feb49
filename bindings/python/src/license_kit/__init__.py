"""Offline license codes for Python products: the license-ffi C library through ctypes.

Every handle is a context manager (``with Verifier(config) as verifier:``) and is also
freed when garbage-collected; every failure raises a subclass of :class:`LicenseError`
named after its result code (``TypoError`` for ``LIC_RESULT_TYPO``), carrying the code and
the library's detailed message.
"""
from __future__ import annotations

import ctypes
import enum
import os
import threading
from ctypes import byref, c_bool, c_size_t, c_uint8, c_uint32, c_uint64, c_void_p
from dataclasses import dataclass
from typing import Any, Callable, Optional, Union, cast

from . import _native
from ._codes import ERRORS, LicenseError, ResultCode
from ._codes import *  # noqa: F401,F403  (every exception class, by name)

__all__ = [
    "ResultCode", "LicenseError", "Status", "Kind", "Component", "LogLevel", "Date",
    "VerifierConfig", "Verifier", "License", "Fingerprint", "RevocationInfo", "SeatPool",
    "SeatSnapshot", "SeatHolder", "PoolLease", "SeatClient", "SeatLease", "Reseller",
    "PendingChange", "UNLIMITED", "version", "result_name", "result_message",
    "database_code_new", "database_code_normalize", "set_diagnostic_callback", "live_handles",
] + [cls.__name__ for cls in ERRORS.values()]

_lib = _native.lib
UNLIMITED = 0xFFFF_FFFF
"""`LIC_UNLIMITED`: a count that is not limited."""

PathLike = Union[str, "os.PathLike[str]"]


class Status(enum.IntEnum):
    """Where a license stands on the day it was verified (`lic_status`)."""

    NOT_YET_VALID = 1
    VALID = 2
    EXPIRING_SOON = 3
    IN_GRACE = 4
    DEMO_MODE = 5
    EXPIRED = 6
    REPLACED = 7

    @property
    def words(self) -> str:
        """The status in plain words, for the user."""
        return _STATUS_WORDS[self]


_STATUS_WORDS = {
    Status.NOT_YET_VALID: "not yet valid",
    Status.VALID: "valid",
    Status.EXPIRING_SOON: "valid, expiring soon",
    Status.IN_GRACE: "expired, in the grace period",
    Status.DEMO_MODE: "expired: demo mode",
    Status.EXPIRED: "expired",
    Status.REPLACED: "replaced by its successor",
}


class Kind(enum.IntEnum):
    """The kind of license (`lic_kind`)."""

    FULL = 0
    TRIAL = 1
    SUBSCRIPTION = 2
    NFR = 3


class Component(enum.IntEnum):
    """A component of a machine fingerprint (`lic_component`)."""

    OS_INSTALL_ID = 0
    HARDWARE_UUID = 1
    CPU = 2
    NETWORK = 3
    ROOT_FILE_SYSTEM = 4
    BOARD_SERIAL = 5


class LogLevel(enum.IntEnum):
    """How important a diagnostic line is (`lic_log_level`)."""

    ERROR = 1
    WARN = 2
    INFO = 3
    DEBUG = 4


@dataclass(frozen=True)
class Date:
    """A calendar day (UTC)."""

    year: int
    month: int
    day: int

    def _c(self) -> _native.Date:
        return _native.Date(self.year, self.month, self.day)

    @staticmethod
    def _from_c(d: _native.Date) -> Optional["Date"]:
        return None if d.year == 0 else Date(d.year, d.month, d.day)

    def __str__(self) -> str:
        return f"{self.year:04}-{self.month:02}-{self.day:02}"


@dataclass(frozen=True)
class RevocationInfo:
    """The installed revocation list."""

    sequence: int
    issued: Optional[Date]
    expires: Optional[Date]
    entries: int


@dataclass(frozen=True)
class Reseller:
    """Who issued a license: `name` is empty and `depth` 0 for the vendor's own code."""

    name: str
    depth: int


@dataclass(frozen=True)
class PendingChange:
    """A later revision already known, taking effect on `starts`."""

    revision: int
    starts: Optional[Date]


@dataclass(frozen=True)
class SeatLease:
    """A seat held from a seat server."""

    expires_unix_ms: int
    ttl_secs: int
    in_use: int
    limit: int
    borrowed: bool
    server_unreachable: bool


@dataclass(frozen=True)
class PoolLease:
    """A seat granted or renewed by a local :class:`SeatPool`."""

    expires_ms: int
    in_use: int
    renewed: bool


@dataclass(frozen=True)
class SeatHolder:
    """One holder in a :class:`SeatSnapshot`."""

    holder: str
    since_ms: int
    expires_ms: int


# --- calling conventions -------------------------------------------------------------


def _last_error() -> str:
    n = c_size_t(0)
    buf = ctypes.create_string_buffer(512)
    r = _lib.lic_last_error_message(buf, len(buf), byref(n))
    if r == ResultCode.BUFFER_TOO_SMALL:
        buf = ctypes.create_string_buffer(n.value + 1)
        r = _lib.lic_last_error_message(buf, len(buf), byref(n))
    return buf.value.decode("utf-8", "replace") if r == 0 else ""


def _error(code: int) -> LicenseError:
    message = _last_error()
    cls = ERRORS.get(code)
    if cls is None:
        # A code newer than this binding: still a failure.
        return LicenseError(f"result code {code}: {message}", ResultCode.UNKNOWN)
    return cls(message or result_message(code))


def _check(code: int) -> None:
    if code != 0:
        raise _error(code)


def _text(s: str) -> tuple[bytes, int]:
    b = s.encode("utf-8")
    return b, len(b)


def _path(p: PathLike) -> tuple[bytes, int]:
    return _text(os.fspath(p))


def _text_out(call: Callable[[Any, int, Any], int], size: int = 256) -> str:
    """Call a text-out function, growing the buffer once if the library says so."""
    n = c_size_t(0)
    buf = ctypes.create_string_buffer(size)
    r = call(buf, size, byref(n))
    if r == ResultCode.BUFFER_TOO_SMALL:
        buf = ctypes.create_string_buffer(n.value + 1)
        r = call(buf, n.value + 1, byref(n))
    _check(r)
    return buf.raw[: n.value].decode("utf-8")


class _Handle:
    """An owned C handle, freed by `close()`, by leaving a `with` block, or by the GC."""

    _free: Callable[[c_void_p], None]

    def __init__(self, ptr: c_void_p) -> None:
        self._ptr: Optional[c_void_p] = ptr

    @property
    def _h(self) -> c_void_p:
        if self._ptr is None:
            raise ValueError(f"this {type(self).__name__} was closed")
        return self._ptr

    def close(self) -> None:
        """Free the C handle now (later calls raise ValueError). Closing twice is fine."""
        ptr, self._ptr = self._ptr, None
        if ptr is not None:
            type(self)._free(ptr)

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may be gone already
            pass


def _new(fn: Callable[..., int], *args: object) -> c_void_p:
    out = c_void_p()
    _check(fn(*args, byref(out)))
    return out


# --- library-wide --------------------------------------------------------------------


def version() -> str:
    """The C library's version, e.g. "0.1.0"."""
    return cast(bytes, _lib.lic_version()).decode()


def result_name(code: int) -> Optional[str]:
    """The C name of a result code (`LIC_RESULT_TYPO`), or None for an unknown number."""
    n = _lib.lic_result_name(code)
    return n.decode() if n else None


def result_message(code: int) -> str:
    """The fixed English sentence for a result code."""
    return _text_out(lambda b, c, o: _lib.lic_result_message(code, b, c, o))


def live_handles() -> int:
    """For tests only: handles the C library has made and not freed, in this process."""
    return int(_lib.lic_debug_live_handles())


def database_code_new() -> str:
    """A new database code for this installation (create it once; store it; show it)."""
    return _text_out(_lib.lic_database_code_new, 32)


def database_code_normalize(text: str) -> str:
    """The canonical form of a database code as typed; raises DatabaseCodeInvalidError."""
    t, n = _text(text)
    return _text_out(lambda b, c, o: _lib.lic_database_code_normalize(t, n, b, c, o), 32)


_diagnostic_lock = threading.Lock()
_diagnostic_keep: Optional[object] = None


def set_diagnostic_callback(
    callback: Optional[Callable[[LogLevel, str], None]], max_level: LogLevel = LogLevel.INFO
) -> None:
    """Deliver the library's diagnostic lines up to `max_level` to `callback(level, line)`
    for the whole process; None stops them. Exceptions raised by the callback are ignored."""
    global _diagnostic_keep
    with _diagnostic_lock:
        if callback is None:
            _check(_lib.lic_set_diagnostic_callback(_native.DIAGNOSTIC_FN(), None, int(max_level)))
            _diagnostic_keep = None
            return

        def trampoline(_user: object, level: int, message: Any, length: int) -> None:
            try:
                callback(LogLevel(level), ctypes.string_at(message, length).decode("utf-8", "replace"))
            except Exception:  # never unwind into C
                pass

        fn = _native.DIAGNOSTIC_FN(trampoline)
        _check(_lib.lic_set_diagnostic_callback(fn, None, int(max_level)))
        _diagnostic_keep = fn  # the C library holds it until replaced


# --- fingerprint -----------------------------------------------------------------------


class Fingerprint(_Handle):
    """A machine fingerprint: `Fingerprint.collect(app_key)` reads this machine;
    `Fingerprint(app_key)` starts empty for the host to fill."""

    _free = _lib.lic_fingerprint_free

    def __init__(self, app_key: Union[bytes, str]) -> None:
        key = app_key.encode() if isinstance(app_key, str) else app_key
        super().__init__(_new(_lib.lic_fingerprint_new, key, len(key)))

    @classmethod
    def collect(cls, app_key: Union[bytes, str]) -> "Fingerprint":
        """This machine's fingerprint, hashed with `app_key` (by default, the product id)."""
        key = app_key.encode() if isinstance(app_key, str) else app_key
        self = cls.__new__(cls)
        _Handle.__init__(self, _new(_lib.lic_fingerprint_collect, key, len(key)))
        return self

    def add_component(self, component: Component, value: str) -> bool:
        """Add a raw component value; False if it carries no information or was there."""
        added = c_bool()
        t, n = _text(value)
        _check(_lib.lic_fingerprint_add_component(self._h, int(component), t, n, byref(added)))
        return added.value

    def add_mac(self, mac: bytes) -> bool:
        """Add a network adapter's 6-byte MAC address; False if left out (virtual, zero)."""
        added = c_bool()
        _check(_lib.lic_fingerprint_add_mac(self._h, mac, len(mac), byref(added)))
        return added.value

    def known_components(self) -> set[Component]:
        mask = c_uint32()
        _check(_lib.lic_fingerprint_known_components(self._h, byref(mask)))
        return {c for c in Component if mask.value >> c & 1}

    def print(self, tolerance: int = 1) -> str:
        """The printable fingerprint the customer sends to the vendor."""
        return _text_out(lambda b, c, o: _lib.lic_fingerprint_print(self._h, tolerance, b, c, o))

    def describe(self, tolerance: int = 1) -> str:
        """A report in plain words for support."""
        return _text_out(lambda b, c, o: _lib.lic_fingerprint_describe(self._h, tolerance, b, c, o), 2048)


# --- configuration and verifier ----------------------------------------------------------


class VerifierConfig(_Handle):
    """What a :class:`Verifier` is built from. Not thread-safe."""

    _free = _lib.lic_verifier_config_free

    def __init__(self, product: str, build_date: Date) -> None:
        t, n = _text(product)
        super().__init__(_new(_lib.lic_verifier_config_new, t, n, build_date._c()))

    def add_key(self, key: Union[bytes, str]) -> "VerifierConfig":
        """Add a vendor public key: 32 bytes, or their 64 hex digits."""
        k = bytes.fromhex(key) if isinstance(key, str) else key
        _check(_lib.lic_verifier_config_add_key(self._h, k, len(k)))
        return self

    def set_licensee(self, licensee: str) -> "VerifierConfig":
        _check(_lib.lic_verifier_config_set_licensee(self._h, *_text(licensee)))
        return self

    def set_database(self, database_code: str) -> "VerifierConfig":
        _check(_lib.lic_verifier_config_set_database(self._h, *_text(database_code)))
        return self

    def set_fingerprint(self, fingerprint: Fingerprint) -> "VerifierConfig":
        _check(_lib.lic_verifier_config_set_fingerprint(self._h, fingerprint._h))
        return self

    def set_fingerprint_app_key(self, app_key: bytes) -> "VerifierConfig":
        _check(_lib.lic_verifier_config_set_fingerprint_app_key(self._h, app_key, len(app_key)))
        return self

    def add_module(self, name: str) -> "VerifierConfig":
        """Name the next module (0, 1, ... in the order added, as in the vendor's catalog)."""
        _check(_lib.lic_verifier_config_add_module(self._h, *_text(name)))
        return self

    def add_line(self, name: str) -> "VerifierConfig":
        """Name the next product line (0, 1, ... in the order added, at most 16, as in the
        vendor's catalog); :attr:`License.line_name` and :meth:`License.describe` use them."""
        _check(_lib.lic_verifier_config_add_line(self._h, *_text(name)))
        return self

    def tolerate_unreadable(self, component: Component) -> "VerifierConfig":
        """Tolerate a bound machine component this process merely cannot read (root-only
        sources such as the hardware UUID when running as a service user); the majority of
        all bound components must still match. Call once per component."""
        _check(_lib.lic_verifier_config_tolerate_unreadable(self._h, int(component)))
        return self

    def set_state_file(self, path: PathLike, secret: bytes) -> "VerifierConfig":
        _check(_lib.lic_verifier_config_set_state_file(self._h, *_path(path), secret, len(secret)))
        return self

    def set_notice_days(self, days: int) -> "VerifierConfig":
        _check(_lib.lic_verifier_config_set_notice_days(self._h, days))
        return self

    def set_clock_tolerance(self, seconds: int) -> "VerifierConfig":
        _check(_lib.lic_verifier_config_set_clock_tolerance(self._h, seconds))
        return self


def _revocation_info(info: _native.RevocationInfo) -> RevocationInfo:
    return RevocationInfo(info.sequence, Date._from_c(info.issued), Date._from_c(info.expires), info.entries)


class Verifier(_Handle):
    """Verifies license codes for one installation; thread-safe. `now` arguments are Unix
    seconds (UTC); without them the system clock is read."""

    _free = _lib.lic_verifier_free

    def __init__(self, config: VerifierConfig) -> None:
        super().__init__(_new(_lib.lic_verifier_new, config._h))

    def verify_text(self, code: str, now: Optional[int] = None) -> "License":
        t, n = _text(code)
        out = c_void_p()
        if now is None:
            r = _lib.lic_verifier_verify_text(self._h, t, n, byref(out))
        else:
            r = _lib.lic_verifier_verify_text_at(self._h, t, n, now, byref(out))
        if r:
            raise _error(r)
        return License(out)

    def verify_file(self, path: PathLike, now: Optional[int] = None) -> "License":
        p, n = _path(path)
        if now is None:
            return License(_new(_lib.lic_verifier_verify_file, self._h, p, n))
        return License(_new(_lib.lic_verifier_verify_file_at, self._h, p, n, now))

    def ingest_revocation_list(self, data: bytes, now: Optional[int] = None) -> RevocationInfo:
        info = _native.RevocationInfo()
        if now is None:
            _check(_lib.lic_verifier_ingest_revocation_list(self._h, data, len(data), byref(info)))
        else:
            _check(_lib.lic_verifier_ingest_revocation_list_at(self._h, data, len(data), now, byref(info)))
        return _revocation_info(info)

    def ingest_revocation_file(self, path: PathLike, now: Optional[int] = None) -> RevocationInfo:
        info = _native.RevocationInfo()
        p, n = _path(path)
        if now is None:
            _check(_lib.lic_verifier_ingest_revocation_file(self._h, p, n, byref(info)))
        else:
            _check(_lib.lic_verifier_ingest_revocation_file_at(self._h, p, n, now, byref(info)))
        return _revocation_info(info)

    def revocation_list(self) -> Optional[RevocationInfo]:
        installed = c_bool()
        info = _native.RevocationInfo()
        _check(_lib.lic_verifier_revocation_list(self._h, byref(installed), byref(info)))
        return _revocation_info(info) if installed.value else None

    def check_clock(self, now: Optional[int] = None) -> None:
        _check(_lib.lic_verifier_check_clock(self._h) if now is None else _lib.lic_verifier_check_clock_at(self._h, now))

    def flush_state(self) -> None:
        _check(_lib.lic_verifier_flush_state(self._h))

    def reset_state(self, now: Optional[int] = None) -> None:
        _check(_lib.lic_verifier_reset_state(self._h) if now is None else _lib.lic_verifier_reset_state_at(self._h, now))


class License(_Handle):
    """A verified license: its scope and its status on the day it was verified."""

    _free = _lib.lic_license_free

    def _u32(self, fn: Callable[..., int]) -> int:
        v = c_uint32()
        _check(fn(self._h, byref(v)))
        return v.value

    def _bool(self, fn: Callable[..., int]) -> bool:
        v = c_bool()
        _check(fn(self._h, byref(v)))
        return v.value

    def _date(self, fn: Callable[..., int]) -> Optional[Date]:
        d = _native.Date()
        _check(fn(self._h, byref(d)))
        return Date._from_c(d)

    @property
    def status(self) -> Status:
        return Status(self._u32(_lib.lic_license_status))

    @property
    def days_left(self) -> int:
        """Days left in the current phase (UNLIMITED for a perpetual license)."""
        return self._u32(_lib.lic_license_days_left)

    @property
    def is_usable(self) -> bool:
        """Whether the application may run now."""
        return self._bool(_lib.lic_license_is_usable)

    @property
    def first_run(self) -> bool:
        """Whether this verification was the first run of this installation: a state file
        is configured but none was found, so the guards started afresh. Expected once after
        installing; later it means the state file was deleted or moved (log it). Always
        False without a state file."""
        return self._bool(_lib.lic_license_first_run)

    @property
    def release_covered(self) -> bool:
        return self._bool(_lib.lic_license_release_covered)

    @property
    def named_users(self) -> int:
        return self._u32(_lib.lic_license_named_users)

    @property
    def concurrent_seats(self) -> int:
        return self._u32(_lib.lic_license_concurrent_seats)

    @property
    def line(self) -> int:
        v = c_uint8()
        _check(_lib.lic_license_line(self._h, byref(v)))
        return v.value

    @property
    def line_name(self) -> str:
        """The product line's name as configured with :meth:`VerifierConfig.add_line`; an
        empty string when the line has no configured name (then use :attr:`line`)."""
        return _text_out(lambda b, c, o: _lib.lic_license_line_name(self._h, b, c, o), 64)

    @property
    def kind(self) -> Kind:
        return Kind(self._u32(_lib.lic_license_kind))

    @property
    def id(self) -> int:
        return self._u32(_lib.lic_license_id)

    @property
    def revision(self) -> int:
        return self._u32(_lib.lic_license_revision)

    @property
    def issued(self) -> Optional[Date]:
        return self._date(_lib.lic_license_issued)

    @property
    def valid_from(self) -> Optional[Date]:
        return self._date(_lib.lic_license_valid_from)

    @property
    def expires(self) -> Optional[Date]:
        """None for a perpetual license."""
        return self._date(_lib.lic_license_expires)

    @property
    def maintenance_ends(self) -> Optional[Date]:
        return self._date(_lib.lic_license_maintenance_ends)

    @property
    def today(self) -> Optional[Date]:
        return self._date(_lib.lic_license_today)

    @property
    def modules(self) -> int:
        """The modules usable now, as a bit mask."""
        v = c_uint64()
        _check(_lib.lic_license_modules(self._h, byref(v)))
        return v.value

    def has_module(self, name: str) -> bool:
        """Whether the named module may be used now; UnknownModuleError for a name the
        configuration does not list."""
        v = c_bool()
        _check(_lib.lic_license_has_module(self._h, *_text(name), byref(v)))
        return v.value

    @property
    def pending_change(self) -> Optional[PendingChange]:
        pending, rev, starts = c_bool(), c_uint32(), _native.Date()
        _check(_lib.lic_license_pending_change(self._h, byref(pending), byref(rev), byref(starts)))
        return PendingChange(rev.value, Date._from_c(starts)) if pending.value else None

    def describe(self) -> str:
        """What the license grants, in plain words (`Label: value` lines)."""
        return _text_out(lambda b, c, o: _lib.lic_license_describe(self._h, b, c, o), 1024)

    @property
    def reseller(self) -> Reseller:
        depth = c_uint32()
        name = _text_out(lambda b, c, o: _lib.lic_license_reseller(self._h, b, c, o, byref(depth)))
        return Reseller(name, depth.value)


# --- seats -----------------------------------------------------------------------------


def _seat_lease(l: _native.SeatLease) -> SeatLease:
    return SeatLease(l.expires_unix_ms, l.ttl_secs, l.in_use, l.limit, l.borrowed, l.server_unreachable)


class SeatClient(_Handle):
    """A client of a seat server for one holder (acquire, heartbeat, borrow, release),
    with servers to fail over to (`add_server`). The calls block on the network (10 s at
    most)."""

    _free = _lib.lic_seat_client_free

    def __init__(self, server_url: str, product: str, holder: str, server_key: bytes) -> None:
        super().__init__(
            _new(_lib.lic_seat_client_new, *_text(server_url), *_text(product), *_text(holder), server_key, len(server_key))
        )

    @classmethod
    def for_license(cls, server_url: str, product: str, holder: str, license: License) -> "SeatClient":
        """A client accepting only the seat server the verified code names."""
        self = cls.__new__(cls)
        _Handle.__init__(
            self,
            _new(_lib.lic_seat_client_new_for_license, *_text(server_url), *_text(product), *_text(holder), license._h),
        )
        return self

    def set_identity(self, user: str, machine: str) -> None:
        _check(_lib.lic_seat_client_set_identity(self._h, *_text(user), *_text(machine)))

    def add_server(self, server_url: str) -> None:
        """Add a server to fail over to, after the first one and those added before: when
        the current server cannot be reached, the others are tried in order and the one
        that answers becomes the current one. The servers of one list serve one license
        (one server key)."""
        _check(_lib.lic_seat_client_add_server(self._h, *_text(server_url)))

    def set_lease_file(self, path: PathLike) -> None:
        """Keep the holder key and the lease in this file (0600), so that a restarted
        process proves it still holds its seat (the seat server's holder proof)."""
        _check(_lib.lic_seat_client_set_lease_file(self._h, *_path(path)))

    def acquire(self, ttl_secs: int = 0) -> SeatLease:
        l = _native.SeatLease()
        _check(_lib.lic_seat_client_acquire(self._h, ttl_secs, byref(l)))
        return _seat_lease(l)

    def borrow(self, days: int) -> SeatLease:
        l = _native.SeatLease()
        _check(_lib.lic_seat_client_borrow(self._h, days, byref(l)))
        return _seat_lease(l)

    def heartbeat(self) -> SeatLease:
        l = _native.SeatLease()
        _check(_lib.lic_seat_client_heartbeat(self._h, byref(l)))
        return _seat_lease(l)

    def release(self) -> bool:
        removed = c_bool()
        _check(_lib.lic_seat_client_release(self._h, byref(removed)))
        return removed.value

    @property
    def holds_seat(self) -> bool:
        held = c_bool()
        _check(_lib.lic_seat_client_holds_seat(self._h, byref(held)))
        return held.value

    def token(self) -> str:
        """The lease token to keep for a borrowed seat."""
        return _text_out(lambda b, c, o: _lib.lic_seat_client_token(self._h, b, c, o), 1024)

    def adopt_token(self, token: str) -> SeatLease:
        l = _native.SeatLease()
        _check(_lib.lic_seat_client_adopt_token(self._h, *_text(token), byref(l)))
        return _seat_lease(l)


class SeatSnapshot(_Handle):
    """The pool's usage at one moment."""

    _free = _lib.lic_seat_snapshot_free

    def usage(self) -> tuple[int, int, int]:
        """(in use, limit, peak)."""
        a, b, c = c_uint32(), c_uint32(), c_uint32()
        _check(_lib.lic_seat_snapshot_usage(self._h, byref(a), byref(b), byref(c)))
        return a.value, b.value, c.value

    def holders(self) -> list[SeatHolder]:
        out = []
        for i in range(self.usage()[0]):
            since, expires = c_uint64(), c_uint64()
            name = _text_out(
                lambda b, c, o: _lib.lic_seat_snapshot_holder(self._h, i, b, c, o, byref(since), byref(expires))
            )
            out.append(SeatHolder(name, since.value, expires.value))
        return out


def _pool_lease(l: _native.Lease) -> PoolLease:
    return PoolLease(l.expires_ms, l.in_use, l.renewed)


class SeatPool(_Handle):
    """A local pool of concurrent seats; thread-safe. `now_ms` arguments are milliseconds
    since the pool was created, on the caller's monotonic clock."""

    _free = _lib.lic_seat_pool_free

    def __init__(self, seats: int, lease_secs: int) -> None:
        super().__init__(_new(_lib.lic_seat_pool_new, seats, lease_secs))

    @classmethod
    def for_license(cls, license: License, lease_secs: int) -> "SeatPool":
        self = cls.__new__(cls)
        _Handle.__init__(self, _new(_lib.lic_seat_pool_new_for_license, license._h, lease_secs))
        return self

    def acquire(self, holder: str, now_ms: Optional[int] = None) -> PoolLease:
        l = _native.Lease()
        if now_ms is None:
            _check(_lib.lic_seat_pool_acquire(self._h, *_text(holder), byref(l)))
        else:
            _check(_lib.lic_seat_pool_acquire_at(self._h, *_text(holder), now_ms, byref(l)))
        return _pool_lease(l)

    def heartbeat(self, holder: str, now_ms: Optional[int] = None) -> PoolLease:
        l = _native.Lease()
        if now_ms is None:
            _check(_lib.lic_seat_pool_heartbeat(self._h, *_text(holder), byref(l)))
        else:
            _check(_lib.lic_seat_pool_heartbeat_at(self._h, *_text(holder), now_ms, byref(l)))
        return _pool_lease(l)

    def release(self, holder: str) -> bool:
        held = c_bool()
        _check(_lib.lic_seat_pool_release(self._h, *_text(holder), byref(held)))
        return held.value

    def set_limit(self, seats: int) -> int:
        """Change the number of seats; returns how many seats were taken back."""
        over = c_uint32()
        _check(_lib.lic_seat_pool_set_limit(self._h, seats, byref(over)))
        return over.value

    def snapshot(self, now_ms: Optional[int] = None) -> SeatSnapshot:
        if now_ms is None:
            return SeatSnapshot(_new(_lib.lic_seat_pool_snapshot, self._h))
        return SeatSnapshot(_new(_lib.lic_seat_pool_snapshot_at, self._h, now_ms))
