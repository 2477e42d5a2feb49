#!/usr/bin/env python3
"""license_dialog.py: the license dialog of a Python product (docs/INTEGRATION.md).

Shows this installation's database code and machine fingerprint, accepts a pasted code or
the path of a file holding it, shows what the code grants, explains each refusal with what
to do, and asks again. Text in, text out (a GUI shows the same texts).

Run: python3 license_dialog.py <data-dir> "ACME Corp"
"""
from __future__ import annotations

import sys
from pathlib import Path

import license_kit as lk

# From the vendor's catalog (`licensectl catalog export`): compiled in, never read from a file.
PRODUCT = "demo-erp"
MODULES = ["crm", "budget", "planning", "bi"]
VENDOR_PUBLIC_KEYS = ["ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c"]
BUILD_DATE = lk.Date(2026, 11, 1)  # the day this release was built
STATE_SECRET = b"demo-erp state file key, v1"


def installation_database_code(data: Path) -> str:
    """Created once, at installation, and kept with the product's data."""
    path = data / "database-code"
    if path.exists():
        return path.read_text().strip()
    code = lk.database_code_new()
    path.write_text(code)
    return code


def advice(error: lk.LicenseError, database: str, fingerprint: str) -> str:
    if isinstance(error, (lk.WrongDatabaseError, lk.DatabaseCodeRequiredError)):
        return f"Send this installation's database code to the vendor: {database}"
    if isinstance(error, lk.WrongMachineError):
        return f"Send this machine's fingerprint to the vendor: {fingerprint}"
    if isinstance(error, (lk.TypoError, lk.TypoUnlocatedError, lk.InvalidCharacterError, lk.CodeTooShortError)):
        return "Paste the code again, or the file the vendor sent."
    if isinstance(error, lk.ClockTurnedBackError):
        return "Correct the system clock, then try again."
    return "If this persists, contact the vendor with the message above."


def main(data: Path, licensee: str) -> int:
    database = installation_database_code(data)
    try:
        with lk.Fingerprint.collect(PRODUCT) as fp:
            fingerprint = fp.print(1)
    except lk.LicenseError:
        fingerprint = "(none: ask for a code bound to the database)"
    with lk.VerifierConfig(PRODUCT, BUILD_DATE) as config:
        for key in VENDOR_PUBLIC_KEYS:
            config.add_key(key)
        config.set_licensee(licensee).set_database(database)
        config.set_state_file(data / "license.state", STATE_SECRET)
        for module in MODULES:
            config.add_module(module)
        verifier = lk.Verifier(config)
    with verifier:
        print(f"License for {PRODUCT} ({licensee})")
        print(f"  Database code:       {database}")
        print(f"  Machine fingerprint: {fingerprint}")
        license_file = data / "license.txt"
        if license_file.exists():
            try:
                with verifier.verify_file(license_file) as lic:
                    print("License accepted.")
                    print(lic.describe())
                    if lic.is_usable:
                        return 0
            except lk.LicenseError as e:
                print(f"The installed license is refused: {e}")
        while True:
            print("Paste the license code, or the path of the file holding it (empty line: cancel):")
            line = sys.stdin.readline().strip()
            if not line:
                print("No license entered.")
                return 1
            path = Path(line)
            text = path.read_text() if path.is_file() else line
            try:
                with verifier.verify_text(text) as lic:
                    # Never replace a usable license with one that does not allow use today.
                    if lic.is_usable or not license_file.exists():
                        license_file.write_text(text)
                    print("License accepted.")
                    print(lic.describe())
                    return 0 if lic.is_usable else 1
            except lk.LicenseError as e:
                print(f"Refused: {e}")
                print(advice(e, database, fingerprint))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: license_dialog.py <data-dir> <licensee>")
    sys.exit(main(Path(sys.argv[1]), sys.argv[2]))
