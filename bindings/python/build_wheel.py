#!/usr/bin/env python3
"""Builds the wheel of license_kit with the native library inside, with the standard
library only (no setuptools, no network):

    build_wheel.py --lib target/release/liblicense_ffi.so --out dist [--plat linux_x86_64]

The package is pure Python over ctypes, so the wheel is tagged `py3-none-<platform>`: one
wheel serves every Python 3 (3.8 and later) on its platform, which is what an abi3 tag
gives an extension module; it is platform-specific only because of the library inside.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import re
import sysconfig
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
NAME = "license_kit"


def version() -> str:
    text = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    m = re.search(r'\[workspace\.package\][^\[]*?version = "([^"]+)"', text, re.S)
    if not m:
        raise SystemExit("no workspace version in Cargo.toml")
    return m.group(1)


def default_plat() -> str:
    return sysconfig.get_platform().replace("-", "_").replace(".", "_")


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build(lib: Path, out: Path, plat: str) -> Path:
    ver = version()
    files: dict[str, bytes] = {}
    for p in sorted((HERE / "src" / NAME).rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            files[f"{NAME}/{p.relative_to(HERE / 'src' / NAME).as_posix()}"] = p.read_bytes()
    files[f"{NAME}/native/{lib.name}"] = lib.read_bytes()
    dist = f"{NAME}-{ver}.dist-info"
    files[f"{dist}/METADATA"] = (
        "Metadata-Version: 2.1\n"
        f"Name: license-kit\nVersion: {ver}\n"
        "Summary: Offline license codes: verify, fingerprint, seats (license-ffi over ctypes)\n"
        "License: MIT OR Apache-2.0\nRequires-Python: >=3.8\n"
    ).encode()
    files[f"{dist}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: license-kit build_wheel.py\n"
        f"Root-Is-Purelib: false\nTag: py3-none-{plat}\n"
    ).encode()
    record = [record_line(n, d) for n, d in files.items()] + [f"{dist}/RECORD,,"]
    files[f"{dist}/RECORD"] = ("\n".join(record) + "\n").encode()
    out.mkdir(parents=True, exist_ok=True)
    wheel = out / f"{NAME}-{ver}-py3-none-{plat}.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in files.items():
            info = zipfile.ZipInfo(n, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if n.endswith((".so", ".dll", ".dylib")) else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, d)
    return wheel


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lib", type=Path, required=True, help="liblicense_ffi.so / license_ffi.dll / .dylib")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--plat", default=default_plat(), help="platform tag, e.g. linux_x86_64, win_amd64")
    a = ap.parse_args()
    print(build(a.lib, a.out, a.plat))


if __name__ == "__main__":
    main()
