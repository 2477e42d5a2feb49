"""Loads the C library (license-ffi) and declares the prototypes of its functions.

The library is looked for, in order: the file named by the environment variable
`LICENSE_KIT_LIBRARY`; the copy inside this package (`license_kit/native/`, where the
wheel puts it); the system's library path.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from ctypes import POINTER, c_bool, c_char_p, c_int64, c_size_t, c_uint8, c_uint16, c_uint32, c_uint64, c_void_p
from pathlib import Path


def _library_file_name() -> str:
    if sys.platform == "win32":
        return "license_ffi.dll"
    if sys.platform == "darwin":
        return "liblicense_ffi.dylib"
    return "liblicense_ffi.so"


def _load() -> ctypes.CDLL:
    override = os.environ.get("LICENSE_KIT_LIBRARY")
    if override:
        return ctypes.CDLL(override)
    bundled = Path(__file__).resolve().parent / "native" / _library_file_name()
    if bundled.is_file():
        return ctypes.CDLL(str(bundled))
    found = ctypes.util.find_library("license_ffi")
    if found:
        return ctypes.CDLL(found)
    raise OSError(
        f"the license-ffi library was not found: not in {bundled.parent}, not on the system's "
        "library path; install the wheel built for this platform or set LICENSE_KIT_LIBRARY"
    )


class Date(ctypes.Structure):
    """`lic_date`."""

    _fields_ = [("year", c_uint16), ("month", c_uint8), ("day", c_uint8)]


class SeatLease(ctypes.Structure):
    """`lic_seat_lease`."""

    _fields_ = [
        ("expires_unix_ms", c_int64),
        ("ttl_secs", c_int64),
        ("in_use", c_uint32),
        ("limit", c_uint32),
        ("borrowed", c_bool),
        ("server_unreachable", c_bool),
    ]


class Lease(ctypes.Structure):
    """`lic_lease`."""

    _fields_ = [("expires_ms", c_uint64), ("in_use", c_uint32), ("renewed", c_bool)]


class RevocationInfo(ctypes.Structure):
    """`lic_revocation_info`."""

    _fields_ = [("sequence", c_uint64), ("issued", Date), ("expires", Date), ("entries", c_uint64)]


DIAGNOSTIC_FN = ctypes.CFUNCTYPE(None, c_void_p, c_uint32, ctypes.POINTER(ctypes.c_char), c_size_t)

lib = _load()

H = c_void_p  # every handle is an opaque pointer
PH = POINTER(c_void_p)
R = c_uint32  # lic_result
TXT = (c_char_p, c_size_t)  # text in: pointer and length
OUT_TXT = (ctypes.c_char_p, c_size_t, POINTER(c_size_t))  # text out: buffer, capacity, length

_PROTOTYPES: dict[str, tuple[object, tuple[object, ...]]] = {
    "lic_version": (c_char_p, ()),
    "lic_result_name": (c_char_p, (c_uint32,)),
    "lic_status_name": (c_char_p, (c_uint32,)),
    "lic_result_message": (R, (c_uint32, *OUT_TXT)),
    "lic_last_error_message": (R, OUT_TXT),
    "lic_debug_live_handles": (c_size_t, ()),
    "lic_set_diagnostic_callback": (R, (DIAGNOSTIC_FN, c_void_p, c_uint32)),
    # configuration
    "lic_verifier_config_new": (R, (*TXT, Date, PH)),
    "lic_verifier_config_add_key": (R, (H, c_char_p, c_size_t)),
    "lic_verifier_config_set_licensee": (R, (H, *TXT)),
    "lic_verifier_config_set_database": (R, (H, *TXT)),
    "lic_verifier_config_set_fingerprint": (R, (H, H)),
    "lic_verifier_config_set_fingerprint_app_key": (R, (H, c_char_p, c_size_t)),
    "lic_verifier_config_add_module": (R, (H, *TXT)),
    "lic_verifier_config_add_line": (R, (H, *TXT)),
    "lic_verifier_config_tolerate_unreadable": (R, (H, c_uint32)),
    "lic_verifier_config_set_state_file": (R, (H, *TXT, c_char_p, c_size_t)),
    "lic_verifier_config_set_notice_days": (R, (H, c_uint16)),
    "lic_verifier_config_set_clock_tolerance": (R, (H, c_uint32)),
    "lic_verifier_config_free": (None, (H,)),
    # verifier
    "lic_verifier_new": (R, (H, PH)),
    "lic_verifier_free": (None, (H,)),
    "lic_verifier_verify_text": (R, (H, *TXT, PH)),
    "lic_verifier_verify_text_at": (R, (H, *TXT, c_int64, PH)),
    "lic_verifier_verify_file": (R, (H, *TXT, PH)),
    "lic_verifier_verify_file_at": (R, (H, *TXT, c_int64, PH)),
    "lic_verifier_ingest_revocation_list": (R, (H, c_char_p, c_size_t, POINTER(RevocationInfo))),
    "lic_verifier_ingest_revocation_list_at": (R, (H, c_char_p, c_size_t, c_int64, POINTER(RevocationInfo))),
    "lic_verifier_ingest_revocation_file": (R, (H, *TXT, POINTER(RevocationInfo))),
    "lic_verifier_ingest_revocation_file_at": (R, (H, *TXT, c_int64, POINTER(RevocationInfo))),
    "lic_verifier_revocation_list": (R, (H, POINTER(c_bool), POINTER(RevocationInfo))),
    "lic_verifier_check_clock": (R, (H,)),
    "lic_verifier_check_clock_at": (R, (H, c_int64)),
    "lic_verifier_flush_state": (R, (H,)),
    "lic_verifier_reset_state": (R, (H,)),
    "lic_verifier_reset_state_at": (R, (H, c_int64)),
    # license
    "lic_license_status": (R, (H, POINTER(c_uint32))),
    "lic_license_days_left": (R, (H, POINTER(c_uint32))),
    "lic_license_is_usable": (R, (H, POINTER(c_bool))),
    "lic_license_first_run": (R, (H, POINTER(c_bool))),
    "lic_license_release_covered": (R, (H, POINTER(c_bool))),
    "lic_license_named_users": (R, (H, POINTER(c_uint32))),
    "lic_license_concurrent_seats": (R, (H, POINTER(c_uint32))),
    "lic_license_line": (R, (H, POINTER(c_uint8))),
    "lic_license_kind": (R, (H, POINTER(c_uint32))),
    "lic_license_id": (R, (H, POINTER(c_uint32))),
    "lic_license_revision": (R, (H, POINTER(c_uint32))),
    "lic_license_issued": (R, (H, POINTER(Date))),
    "lic_license_valid_from": (R, (H, POINTER(Date))),
    "lic_license_expires": (R, (H, POINTER(Date))),
    "lic_license_maintenance_ends": (R, (H, POINTER(Date))),
    "lic_license_today": (R, (H, POINTER(Date))),
    "lic_license_modules": (R, (H, POINTER(c_uint64))),
    "lic_license_has_module": (R, (H, *TXT, POINTER(c_bool))),
    "lic_license_pending_change": (R, (H, POINTER(c_bool), POINTER(c_uint32), POINTER(Date))),
    "lic_license_line_name": (R, (H, *OUT_TXT)),
    "lic_license_describe": (R, (H, *OUT_TXT)),
    "lic_license_reseller": (R, (H, *OUT_TXT, POINTER(c_uint32))),
    "lic_license_free": (None, (H,)),
    # fingerprint and database code
    "lic_fingerprint_collect": (R, (c_char_p, c_size_t, PH)),
    "lic_fingerprint_new": (R, (c_char_p, c_size_t, PH)),
    "lic_fingerprint_add_component": (R, (H, c_uint32, *TXT, POINTER(c_bool))),
    "lic_fingerprint_add_mac": (R, (H, c_char_p, c_size_t, POINTER(c_bool))),
    "lic_fingerprint_known_components": (R, (H, POINTER(c_uint32))),
    "lic_fingerprint_print": (R, (H, c_uint32, *OUT_TXT)),
    "lic_fingerprint_describe": (R, (H, c_uint32, *OUT_TXT)),
    "lic_fingerprint_free": (None, (H,)),
    "lic_database_code_new": (R, OUT_TXT),
    "lic_database_code_normalize": (R, (*TXT, *OUT_TXT)),
    # seat client
    "lic_seat_client_new": (R, (*TXT, *TXT, *TXT, c_char_p, c_size_t, PH)),
    "lic_seat_client_new_for_license": (R, (*TXT, *TXT, *TXT, H, PH)),
    "lic_seat_client_set_identity": (R, (H, *TXT, *TXT)),
    "lic_seat_client_set_lease_file": (R, (H, *TXT)),
    "lic_seat_client_add_server": (R, (H, *TXT)),
    "lic_seat_client_free": (None, (H,)),
    "lic_seat_client_acquire": (R, (H, c_uint32, POINTER(SeatLease))),
    "lic_seat_client_borrow": (R, (H, c_uint32, POINTER(SeatLease))),
    "lic_seat_client_heartbeat": (R, (H, POINTER(SeatLease))),
    "lic_seat_client_release": (R, (H, POINTER(c_bool))),
    "lic_seat_client_holds_seat": (R, (H, POINTER(c_bool))),
    "lic_seat_client_token": (R, (H, *OUT_TXT)),
    "lic_seat_client_adopt_token": (R, (H, *TXT, POINTER(SeatLease))),
    # seat pool
    "lic_seat_pool_new": (R, (c_uint32, c_uint32, PH)),
    "lic_seat_pool_new_for_license": (R, (H, c_uint32, PH)),
    "lic_seat_pool_free": (None, (H,)),
    "lic_seat_pool_acquire": (R, (H, *TXT, POINTER(Lease))),
    "lic_seat_pool_acquire_at": (R, (H, *TXT, c_uint64, POINTER(Lease))),
    "lic_seat_pool_heartbeat": (R, (H, *TXT, POINTER(Lease))),
    "lic_seat_pool_heartbeat_at": (R, (H, *TXT, c_uint64, POINTER(Lease))),
    "lic_seat_pool_release": (R, (H, *TXT, POINTER(c_bool))),
    "lic_seat_pool_set_limit": (R, (H, c_uint32, POINTER(c_uint32))),
    "lic_seat_pool_snapshot": (R, (H, PH)),
    "lic_seat_pool_snapshot_at": (R, (H, c_uint64, PH)),
    "lic_seat_snapshot_usage": (R, (H, POINTER(c_uint32), POINTER(c_uint32), POINTER(c_uint32))),
    "lic_seat_snapshot_holder": (R, (H, c_size_t, *OUT_TXT, POINTER(c_uint64), POINTER(c_uint64))),
    "lic_seat_snapshot_free": (None, (H,)),
}

for _name, (_restype, _argtypes) in _PROTOTYPES.items():
    _fn = getattr(lib, _name)
    _fn.restype = _restype
    _fn.argtypes = list(_argtypes)
