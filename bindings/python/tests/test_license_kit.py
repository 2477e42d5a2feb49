"""The Python binding against the golden vectors of license-core, the header's result
codes, and the C library's count of live handles."""
from __future__ import annotations

import calendar
import datetime
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import license_kit as lk
from license_kit import _native

from conftest import HEADER, REPO

PRODUCT = "demo-erp"
LICENSEE = "ACME Corp"
BUILD = lk.Date(2026, 11, 1)


def noon(day: str) -> int:
    """Unix seconds at 12:00 UTC of an ISO day."""
    d = datetime.date.fromisoformat(day)
    return calendar.timegm((d.year, d.month, d.day, 12, 0, 0))


NOW = noon("2026-11-22")


def reference_machine(raw: dict[str, str]) -> lk.Fingerprint:
    """The reference machine of the vectors, supplied by the host as its raw values."""
    fp = lk.Fingerprint(PRODUCT)
    assert fp.add_component(lk.Component.OS_INSTALL_ID, raw["os-install-id"])
    assert fp.add_component(lk.Component.HARDWARE_UUID, raw["hardware-uuid"])
    assert fp.add_component(lk.Component.CPU, raw["cpu"])
    assert fp.add_mac(bytes.fromhex(raw["network"]))
    return fp


def verifier(vectors: dict[str, Any], *, database: str | None = None, machine: bool = True,
             build: lk.Date = BUILD, key: str | None = None, lines: tuple[str, ...] = ()) -> lk.Verifier:
    with lk.VerifierConfig(PRODUCT, build) as config:
        config.add_key(key or vectors["public_key"]).set_licensee(LICENSEE)
        for name in ("crm", "budget", "planning", "bi"):
            config.add_module(name)
        for name in lines:
            config.add_line(name)
        if database is not None:
            config.set_database(database)
        if machine:
            with reference_machine(vectors["reference_machine_raw"]) as fp:
                config.set_fingerprint(fp)
        return lk.Verifier(config)


def case(vectors: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in vectors["cases"] if c["name"] == name)


# --- the golden vectors' reference codes ---------------------------------------------------


def test_valid_reference_code(v1: dict[str, Any]) -> None:
    c = case(v1, "reference")
    with verifier(v1) as v, v.verify_text(c["code"], now=NOW) as lic:
        want = c["license"]
        assert lic.status is lk.Status.VALID and lic.status.words == "valid"
        assert lic.is_usable and lic.release_covered
        assert lic.kind is lk.Kind.SUBSCRIPTION
        assert (lic.id, lic.revision, lic.line) == (want["license_id"], want["revision"], want["line"])
        assert (lic.named_users, lic.concurrent_seats) == (want["named_users"], want["concurrent_seats"])
        assert str(lic.expires) == want["expires"] and str(lic.issued) == want["issued"]
        assert str(lic.valid_from) == want["valid_from"]
        assert str(lic.maintenance_ends) == want["maintenance_ends"]
        assert str(lic.today) == "2026-11-22"
        assert lic.modules == want["modules"]
        assert lic.has_module("crm") and lic.has_module("bi")
        with pytest.raises(lk.UnknownModuleError):
            lic.has_module("crn")
        assert lic.pending_change is None
        assert lic.reseller == lk.Reseller("", 0)
        assert lic.days_left == 365
        assert "Subscription" in lic.describe() or "subscription" in lic.describe()


def test_line_names_name_the_reference_codes_line(v1: dict[str, Any]) -> None:
    c = case(v1, "reference")
    assert c["license"]["line"] == 1
    with verifier(v1, lines=("standard", "expert")) as v, v.verify_text(c["code"], now=NOW) as lic:
        assert lic.line == 1 and lic.line_name == "expert"
        assert "product line expert" in lic.describe()
    # Without names the line is only a number: an empty name, the number still there.
    with verifier(v1) as v, v.verify_text(c["code"], now=NOW) as lic:
        assert lic.line == 1 and lic.line_name == ""
    # A name for line 0 only: line 1 has none.
    with verifier(v1, lines=("standard",)) as v, v.verify_text(c["code"], now=NOW) as lic:
        assert lic.line_name == ""
    # At most 16 names.
    with lk.VerifierConfig(PRODUCT, BUILD) as config:
        for i in range(16):
            config.add_line(f"line-{i}")
        with pytest.raises(lk.InvalidArgumentError):
            config.add_line("one-too-many")


def test_tolerate_unreadable_takes_components_not_other_numbers(v1: dict[str, Any]) -> None:
    c = case(v1, "reference")
    with lk.VerifierConfig(PRODUCT, BUILD) as config:
        config.add_key(v1["public_key"]).set_licensee(LICENSEE)
        assert config.tolerate_unreadable(lk.Component.HARDWARE_UUID) is config
        config.tolerate_unreadable(lk.Component.BOARD_SERIAL)
        with pytest.raises(lk.InvalidArgumentError):
            config.tolerate_unreadable(6)  # type: ignore[arg-type]
        with reference_machine(v1["reference_machine_raw"]) as fp:
            config.set_fingerprint(fp)
        # The reference machine still matches with the components tolerated.
        with lk.Verifier(config) as v, v.verify_text(c["code"], now=NOW) as lic:
            assert lic.is_usable


def test_typo_names_its_group(v1: dict[str, Any]) -> None:
    c = case(v1, "typo")
    with verifier(v1) as v, pytest.raises(lk.TypoError) as e:
        v.verify_text(c["code"], now=NOW)
    assert e.value.code == lk.ResultCode.TYPO == 104
    assert e.value.name == "LIC_RESULT_TYPO"
    assert str(e.value) == c["message"]
    assert isinstance(e.value, lk.LicenseError)


def test_wrong_database(v1: dict[str, Any]) -> None:
    wrong = case(v1, "wrong-database")
    with verifier(v1, database=wrong["context"]["database"], machine=False) as v:
        with pytest.raises(lk.WrongDatabaseError) as e:
            v.verify_text(wrong["code"], now=NOW)
        assert str(e.value) == wrong["message"]
    right = case(v1, "perpetual-database")
    with verifier(v1, database=right["context"]["database"], machine=False) as v:
        with v.verify_text(right["code"], now=NOW) as lic:
            assert lic.kind is lk.Kind.FULL and lic.expires is None
            assert lic.days_left == lk.UNLIMITED


STATUS = {
    "not-yet-valid": lk.Status.NOT_YET_VALID, "valid": lk.Status.VALID,
    "expiring-soon": lk.Status.EXPIRING_SOON, "in-grace": lk.Status.IN_GRACE,
    "demo-mode": lk.Status.DEMO_MODE, "expired": lk.Status.EXPIRED, "replaced": lk.Status.REPLACED,
}


def test_status_table_including_expired(v2: dict[str, Any]) -> None:
    """Every day of the v2 status table: the trial's last row is the expired code."""
    seen = set()
    for table in v2["status"]:
        c = case(v2, table["case"])
        for day in table["days"]:
            y, m, d = map(int, day["build_date"].split("-"))
            with verifier(v2, database=c["context"]["database"], build=lk.Date(y, m, d),
                          machine=c["context"]["machine"] is not None) as v:
                if day["today"] < c["license"]["issued"]:
                    with pytest.raises(lk.ClockBeforeIssueError):
                        v.verify_text(c["code"], now=noon(day["today"]))
                    continue
                with v.verify_text(c["code"], now=noon(day["today"])) as lic:
                    ev = day["evaluation"]
                    assert lic.status is STATUS[ev["status"]["status"]], (table["case"], day)
                    assert lic.is_usable == day["usable"], (table["case"], day)
                    # The C interface counts 0 users and seats when the license is not usable
                    # (a release not covered, say); the table gives the entitlement itself.
                    # None in the table is "not limited".
                    usable = day["usable"]
                    for got, want in [(lic.named_users, ev["named_users"]),
                                      (lic.concurrent_seats, ev["concurrent_seats"])]:
                        assert got == ((lk.UNLIMITED if want is None else want) if usable else 0), day
                    seen.add(lic.status)
    assert lk.Status.EXPIRED in seen and lk.Status.DEMO_MODE in seen


def test_resellers_code(v1: dict[str, Any], delegation: dict[str, Any]) -> None:
    one = case(delegation, "one-level")
    two = case(delegation, "two-level")
    with verifier(v1, key=delegation["vendor_public_key"]) as v:
        with v.verify_text(one["code"], now=NOW) as lic:
            assert lic.reseller == lk.Reseller("Contoso", 1)
            assert lic.id == one["expect"]["license"]["license_id"]
        with v.verify_text(two["code"], now=NOW) as lic:
            assert lic.reseller == lk.Reseller("Fabrikam", 2)
        with pytest.raises(lk.OutsideFrameError):
            v.verify_text(case(delegation, "outside-frame-users")["code"], now=NOW)
        with pytest.raises(lk.NotSignedByResellerError):
            v.verify_text(case(delegation, "not-signed-by-reseller")["code"], now=NOW)


@pytest.mark.parametrize("name", ["unknown-key", "wrong-product", "signature-bit-flipped",
                                  "fingerprint-as-code", "invalid-character", "empty",
                                  "unsupported-version", "truncated", "wrong-licensee"])
def test_every_refused_v1_vector_raises_its_error(v1: dict[str, Any], name: str) -> None:
    c = case(v1, name)
    error = {"empty": "code-empty", "too-short": "code-too-short", "too-long": "code-too-long"}.get(c["error"], c["error"])
    cls_name = "".join(w.capitalize() for w in error.split("-")) + "Error"
    with verifier(v1) as v, pytest.raises(getattr(lk, cls_name)) as e:
        if name in ("wrong-product", "wrong-licensee"):
            with lk.VerifierConfig(c["context"]["product"], BUILD) as cfg:
                cfg.add_key(v1["public_key"]).set_licensee(c["context"]["licensee"])
                with reference_machine(v1["reference_machine_raw"]) as fp:
                    cfg.set_fingerprint(fp)
                with lk.Verifier(cfg) as other:
                    other.verify_text(c["code"], now=NOW)
        else:
            v.verify_text(c["code"], now=NOW)
    assert str(e.value) == c["message"]


# --- every result code -------------------------------------------------------------------


def header_codes(text: str, prefix: str) -> list[tuple[str, int]]:
    return [(m.group(1), int(m.group(2))) for m in re.finditer(rf"^\s*{prefix}(\w+) = (\d+),", text, re.M)]


def test_every_result_code_of_the_header_is_a_named_error(header: str) -> None:
    codes = header_codes(header, "LIC_RESULT_")
    assert len(codes) >= 60
    for name, number in codes:
        assert lk.result_name(number) == "LIC_RESULT_" + name
        assert lk.ResultCode[name] == number
        assert lk.result_message(number)
        if number == 0:
            continue
        cls = lk.ERRORS[number]
        assert cls.__name__ == "".join(w.capitalize() for w in name.split("_")) + "Error"
        assert getattr(lk, cls.__name__) is cls and issubclass(cls, lk.LicenseError)
        err = lk._error(number)
        assert type(err) is cls and err.code == number and err.name == "LIC_RESULT_" + name
    assert set(lk.ERRORS) == {n for _, n in codes if n}


def test_enums_match_the_header(header: str) -> None:
    for enum, prefix in [(lk.Status, "LIC_STATUS_"), (lk.Kind, "LIC_KIND_"),
                         (lk.Component, "LIC_COMPONENT_"), (lk.LogLevel, "LIC_LOG_LEVEL_")]:
        assert {(m.name, m.value) for m in enum} == set(header_codes(header, prefix)), prefix
    for s in lk.Status:
        assert _native.lib.lic_status_name(s).decode() == "LIC_STATUS_" + s.name


def test_every_function_of_the_header_has_a_prototype(header: str) -> None:
    declared = set(re.findall(r"^(?:lic_result |void |const char \*|size_t )(lic_\w+)\(", header, re.M))
    declared.discard("lic_test_force_panic")  # only in the C tests' builds
    assert declared == set(_native._PROTOTYPES)


def test_generated_code_tables_are_up_to_date() -> None:
    gen = REPO / "bindings/gen_codes.py"
    if not gen.exists():
        pytest.skip("not run from a checkout")
    out = subprocess.run([sys.executable, str(gen), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_unknown_code_is_still_a_failure() -> None:
    err = lk._error(9999)
    assert type(err) is lk.LicenseError and "9999" in str(err)


# --- handles -------------------------------------------------------------------------------


def test_100000_create_free_cycles_leave_no_live_handle(v1: dict[str, Any]) -> None:
    start = lk.live_handles()
    key = bytes.fromhex(v1["public_key"])
    for _ in range(100_000):
        with lk.VerifierConfig(PRODUCT, BUILD) as config:
            config.add_key(key).set_licensee(LICENSEE)
            with lk.Verifier(config):
                pass
    assert lk.live_handles() == start
    # Handles dropped without close() are freed by the garbage collector.
    c = case(v1, "reference")
    v = verifier(v1)
    for _ in range(100):
        v.verify_text(c["code"], now=NOW)
    del v
    import gc

    gc.collect()
    assert lk.live_handles() == start


def test_closed_handle_refuses_use(v1: dict[str, Any]) -> None:
    v = verifier(v1)
    v.close()
    v.close()
    with pytest.raises(ValueError):
        v.verify_text("x")


# --- files, state, revocation lists, diagnostics -----------------------------------------


def test_verify_file_state_file_and_revocation_list(tmp_path: Path, v1: dict[str, Any], v2: dict[str, Any]) -> None:
    code = tmp_path / "license.txt"
    code.write_text(case(v1, "perpetual-database")["code"])
    state = tmp_path / "license.state"
    with lk.VerifierConfig(PRODUCT, BUILD) as config:
        config.add_key(v1["public_key"]).set_licensee(LICENSEE).set_database("DB-7F3A-22C1")
        config.set_state_file(state, b"0123456789abcdef-app-secret")
        with lk.Verifier(config) as v:
            with v.verify_file(code, now=noon("2026-12-02")) as lic:
                assert lic.id == 2002
            assert v.revocation_list() is None
            rl = next(r for r in v2["revocation_lists"] if r["name"] == "list")
            info = v.ingest_revocation_list(bytes.fromhex(rl["bytes"]), now=noon("2026-12-02"))
            assert info.sequence == rl["sequence"] and str(info.issued) == rl["issued"]
            assert v.revocation_list() == info
            with pytest.raises(lk.RevokedError):
                v.verify_file(code, now=noon("2026-12-02"))
            with pytest.raises(lk.ClockTurnedBackError):
                v.check_clock(now=noon("2026-11-01"))
            v.flush_state()
    assert state.is_file()
    with pytest.raises(lk.IoError):
        with lk.VerifierConfig(PRODUCT, BUILD) as config:
            config.add_key(v1["public_key"]).set_licensee(LICENSEE)
            with lk.Verifier(config) as v:
                v.verify_file(tmp_path / "missing.txt", now=NOW)


def test_first_run_of_an_installation(tmp_path: Path, v1: dict[str, Any]) -> None:
    c = case(v1, "reference")
    state = tmp_path / "license.state"

    def installation() -> lk.Verifier:
        with lk.VerifierConfig(PRODUCT, BUILD) as config:
            config.add_key(v1["public_key"]).set_licensee(LICENSEE)
            with reference_machine(v1["reference_machine_raw"]) as fp:
                config.set_fingerprint(fp)
            config.set_state_file(state, b"0123456789abcdef-app-secret")
            return lk.Verifier(config)

    # A fresh state file: the first run, said once, then not on the next verification.
    with installation() as v:
        with v.verify_text(c["code"], now=NOW) as lic:
            assert lic.first_run and lic.is_usable
        with v.verify_text(c["code"], now=NOW) as lic:
            assert not lic.first_run
        v.flush_state()
    assert state.is_file()
    # The next start of the application finds the state file: not a first run.
    with installation() as v, v.verify_text(c["code"], now=NOW) as lic:
        assert not lic.first_run
    # Without a state file there is no first run to report.
    with verifier(v1) as v, v.verify_text(c["code"], now=NOW) as lic:
        assert not lic.first_run


def test_diagnostic_callback_receives_the_reason(v1: dict[str, Any]) -> None:
    lines: list[tuple[lk.LogLevel, str]] = []
    lk.set_diagnostic_callback(lambda level, line: lines.append((level, line)), lk.LogLevel.INFO)
    try:
        with verifier(v1) as v, pytest.raises(lk.TypoError):
            v.verify_text(case(v1, "typo")["code"], now=NOW)
    finally:
        lk.set_diagnostic_callback(None)
    assert any("group 7" in line for _, line in lines), lines


# --- fingerprints, database codes, seats ---------------------------------------------------


def test_fingerprint_of_the_reference_machine(v1: dict[str, Any], v2: dict[str, Any]) -> None:
    with reference_machine(v1["reference_machine_raw"]) as fp:
        assert fp.known_components() == {lk.Component.OS_INSTALL_ID, lk.Component.HARDWARE_UUID,
                                         lk.Component.CPU, lk.Component.NETWORK}
        ref = next(f for f in v2["fingerprints"] if f["name"] == "reference")
        assert fp.print(ref["binding"]["tolerance"]) == ref["binding"]["text"]
        assert fp.print(1) in fp.describe(1)
        assert not fp.add_mac(bytes(6))
        with pytest.raises(lk.InvalidArgumentError):
            fp.print(4)
    with lk.Fingerprint.collect(PRODUCT) as here:
        assert isinstance(here.describe(1), str)


def test_database_codes() -> None:
    code = lk.database_code_new()
    assert code.startswith("DB-") and len(code) == 26
    assert lk.database_code_normalize(code.lower().replace("-", " ")) == code
    with pytest.raises(lk.DatabaseCodeInvalidError):
        lk.database_code_normalize("DB-nonsense")


def test_seat_pool() -> None:
    with lk.SeatPool(2, 60) as pool:
        assert pool.acquire("alice", now_ms=0).in_use == 1
        assert pool.acquire("bob", now_ms=10).in_use == 2
        with pytest.raises(lk.NoSeatAvailableError):
            pool.acquire("carol", now_ms=20)
        assert pool.heartbeat("alice", now_ms=30).renewed
        with pool.snapshot(now_ms=40) as snap:
            assert snap.usage() == (2, 2, 2)
            assert [h.holder for h in snap.holders()] == ["alice", "bob"]
        assert pool.release("bob")
        with pytest.raises(lk.SeatLeaseLostError):
            pool.heartbeat("bob", now_ms=50)
        assert pool.set_limit(0) == 1


def test_seat_client_without_a_server(v2: dict[str, Any]) -> None:
    key = bytes.fromhex(v2["seat_server_public_key"])
    with lk.SeatClient("http://127.0.0.1:9", PRODUCT, "ws-1", key) as client:
        client.set_identity("alice", "ws-1.acme.lan")
        assert not client.holds_seat
        with pytest.raises(lk.SeatServerUnreachableError):
            client.acquire(60)
        with pytest.raises(lk.SeatNoLeaseError):
            client.token()
        with pytest.raises(lk.SeatTokenInvalidError):
            client.adopt_token("not-a-token")


def test_installed_wheel_carries_library_and_type_marker() -> None:
    """Run from the installed wheel (bindings/python/test.sh), the package loads the
    library inside it and is marked as typed."""
    pkg = Path(lk.__file__).resolve().parent
    if "site-packages" not in pkg.parts:
        pytest.skip("run from the source tree, not from the installed wheel")
    assert (pkg / "py.typed").is_file()
    assert Path(_native.lib._name).resolve().parent == pkg / "native"
    assert lk.version() == re.search(r'#define LIC_VERSION "([^"]+)"', HEADER.read_text()).group(1)


def dialog(tmp: Path, database: str, stdin: str) -> tuple[int, str]:
    tmp.mkdir(exist_ok=True)
    if not (tmp / "database-code").exists():
        (tmp / "database-code").write_text(database)
    sample = REPO / "bindings/python/examples/license_dialog.py"
    out = subprocess.run([sys.executable, str(sample), str(tmp), LICENSEE], input=stdin,
                         capture_output=True, text=True, timeout=60)
    assert out.stderr == "", out.stderr
    return out.returncode, out.stdout


def test_license_dialog_sample(tmp_path: Path, v1: dict[str, Any]) -> None:
    """The sample of docs/INTEGRATION.md: a typo and another database's code are refused
    with what to do; the right code is accepted and kept; the next start finds it."""
    typo = case(v1, "typo")["code"]
    code = case(v1, "perpetual-database")["code"]
    other = tmp_path / "other"
    rc, out = dialog(other, "DB-7F3A-22C2", f"{typo}\n{code}\n\n")
    assert rc == 1, out
    assert "Database code:       DB-7F3A-22C2" in out
    assert "Refused: typo in group 7" in out and "Paste the code again" in out
    assert "Refused: the license code was issued for another database" in out
    assert "Send this installation's database code to the vendor: DB-7F3A-22C2" in out
    assert "No license entered." in out
    right = tmp_path / "right"
    vendor_file = tmp_path / "from-vendor.txt"
    vendor_file.write_text(code)
    rc, out = dialog(right, "DB-7F3A-22C1", f"{vendor_file}\n")
    assert rc == 0 and "License accepted." in out, out
    assert (right / "license.txt").read_text() == code and (right / "license.state").is_file()
    rc, out = dialog(right, "DB-7F3A-22C1", "")
    assert rc == 0 and "License accepted." in out and "Paste" not in out, out


@pytest.fixture()
def seat_server(tmp_path: Path, v1: dict[str, Any]):  # type: ignore[no-untyped-def]
    """A real license-server on loopback, serving the vectors' NFR code (50 seats)."""
    import os

    exe = Path(os.environ.get("LICENSE_KIT_SEAT_SERVER", REPO / "target/release/license-server"))
    if not exe.is_file():
        pytest.skip(f"no license-server at {exe} (cargo build --release -p license-server)")
    code = tmp_path / "nfr.txt"
    code.write_text(case(v1, "nfr-concurrent")["code"])
    proc = subprocess.Popen(
        [str(exe), "serve", "--license", str(code), "--key", v1["public_key"], "--product", PRODUCT,
         "--licensee", LICENSEE, "--listen", "127.0.0.1:0", "--data", str(tmp_path / "data"),
         "--allow-unbound-license"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = key = None
        assert proc.stdout is not None
        for _ in range(10):
            line = proc.stdout.readline()
            if line.startswith("listening on "):
                url = line.split()[-1]
            if "server key " in line:
                key = bytes.fromhex(line.rsplit(" ", 1)[-1])
            if url and key:
                break
        assert url and key, "the server did not start"
        yield url, key
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_lease_file_carries_the_holder_key_across_a_restart(seat_server: tuple[str, bytes], tmp_path) -> None:
    url, key = seat_server
    path = tmp_path / "ws-9.lease"
    with lk.SeatClient(url, PRODUCT, "ws-9", key) as first:
        first.set_lease_file(path)
        first.acquire(60)
    assert (path.stat().st_mode & 0o777) == 0o600
    # Without the file (another holder key) the holder id alone gets nothing back.
    with lk.SeatClient(url, PRODUCT, "ws-9", key) as stranger:
        with pytest.raises(lk.LicenseError):
            stranger.acquire(60)
    # The restarted program with its lease file renews and returns the seat.
    with lk.SeatClient(url, PRODUCT, "ws-9", key) as again:
        again.set_lease_file(path)
        again.heartbeat()
        assert again.release()


def test_a_client_fails_over_to_the_next_server(seat_server: tuple[str, bytes]) -> None:
    import socket

    url, key = seat_server
    # A port bound but not listening: connections to it are refused (a server that is down).
    with socket.socket() as down:
        down.bind(("127.0.0.1", 0))
        down_url = "http://127.0.0.1:%d" % down.getsockname()[1]
        with lk.SeatClient(down_url, PRODUCT, "ws-3", key) as client:
            with pytest.raises(lk.LicenseError) as e:
                client.add_server("ftp://127.0.0.1:1")
            assert e.value.code == lk.ResultCode.INVALID_ARGUMENT, e.value
            with pytest.raises(lk.LicenseError) as e:
                client.acquire(60)
            assert e.value.code == lk.ResultCode.SEAT_SERVER_UNREACHABLE, e.value
            client.add_server(url)
            lease = client.acquire(60)
            assert lease.in_use == 1 and not lease.server_unreachable
            assert client.heartbeat().in_use == 1
            assert client.release()


def test_seat_client_against_a_real_server(seat_server: tuple[str, bytes]) -> None:
    url, key = seat_server
    with lk.SeatClient(url, PRODUCT, "ws-1", key) as client:
        client.set_identity("anna", "ws-1.acme.lan")
        lease = client.acquire(60)
        assert (lease.in_use, lease.limit, lease.ttl_secs) == (1, 50, 60)
        assert not lease.borrowed and not lease.server_unreachable and client.holds_seat
        assert client.heartbeat().in_use == 1
        borrowed = client.borrow(3)
        assert borrowed.borrowed and borrowed.expires_unix_ms > lease.expires_unix_ms
        token = client.token()
        # A restarted client takes its borrowed seat back from the token, offline.
        with lk.SeatClient(url, PRODUCT, "ws-1", key) as again:
            assert again.adopt_token(token).borrowed and again.holds_seat
        assert client.release()
        assert not client.holds_seat
    # A server the vendor did not license (another key) is refused.
    with lk.SeatClient(url, PRODUCT, "ws-2", bytes(32 * [0x5A])) as other:
        with pytest.raises(lk.LicenseError) as e:
            other.acquire(60)
        assert e.value.code == lk.ResultCode.SEAT_SERVER_UNLICENSED, e.value
