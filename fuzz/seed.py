#!/usr/bin/env python3
"""Seed corpora for every fuzz target, from license-core's golden vectors.

Usage: python3 fuzz/seed.py            (writes fuzz/corpus/<target>/seed-*)

Deterministic: the same vectors give the same files. Existing corpus files are kept.
"""
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VECTORS = [
    os.path.join(ROOT, "license-core", "tests", "vectors", "v2.json"),
    os.path.join(ROOT, "license-core", "tests", "vectors", "v1.json"),
]
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_SYMBOLS = 4


def code_bytes(text):
    """The bytes of a code text (data symbols only; the typo check is not verified here)."""
    symbols = []
    for ch in text.upper():
        if ch in "- \t\r\n":
            continue
        ch = {"O": "0", "I": "1", "L": "1"}.get(ch, ch)
        if ch not in ALPHABET:
            return None
        symbols.append(ALPHABET.index(ch))
    if len(symbols) <= CHECK_SYMBOLS:
        return None
    data = symbols[:-CHECK_SYMBOLS]
    acc, bits, out = 0, 0, bytearray()
    for s in data:
        acc = (acc << 5) | s
        bits += 5
        if bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
    return bytes(out)


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def main():
    docs = []
    for path in VECTORS:
        with open(path) as f:
            docs.append((os.path.basename(path)[:2], json.load(f)))
    key_id = docs[0][1]["key_id"]
    dates = set()
    n = 0
    cases = [(prefix, c) for prefix, doc in docs for c in doc["cases"]]
    for prefix, case in cases:
        name, text = prefix + "-" + case["name"], case["code"]
        write("code_text", name, text)
        write("invariant", name + "-text", text)
        if case["name"] in ("fingerprint-as-code", "format-1-fingerprint-as-code"):
            write("fingerprint_text", name, text)
            write("fingerprint_text", name + "-lower", text.lower())
        raw = code_bytes(text)
        if raw:
            write("code_bytes", name, raw)
            write("invariant", name + "-bytes", raw)
        for k, v in (case.get("license") or {}).items():
            if isinstance(v, str) and len(v) == 10 and v[4] == "-":
                dates.add(v)
        n += 1
    for d in sorted(dates) + ["1970-01-01", "9999-12-31", "2024-02-29", " 2026-11-22 "]:
        write("date_parse", d.strip() or "blank", d)

    # Database codes (docs/FORMAT.md, "Database code"): the pinned example and sloppy forms.
    db = "DB-B80ZZ-01W25-SE82D-XMET2"
    for name, text in [("canonical", db), ("no-label", db[3:]), ("lower", db.lower()),
                       ("spaces", db.replace("-", " ")), ("typo", db[:10] + "7" + db[11:]),
                       ("short", db[:-1]), ("old-style", "DB-7F3A-22C1")]:
        write("database_code", name, text)

    # Public keys as text: the seed key's hex, with its id, damaged.
    pk = docs[0][1]["public_key"]
    for name, text in [("hex", pk), ("upper", pk.upper()), ("short", pk[:-1]), ("spaced", pk[:32] + " " + pk[32:])]:
        write("public_key_text", name, text)

    # Revocation lists (docs/FORMAT.md): bodies for the signing path, body + 64 zero bytes
    # (a wrong signature) for the raw path.
    def body(seq, issued, expires, entries):
        b = bytes([1, key_id]) + varint(seq) + varint(issued) + varint(expires) + varint(len(entries))
        for lid, upto in entries:
            b += varint(lid) + (b"\x00" if upto is None else b"\x01" + varint(upto))
        return b

    lists = {
        "pinned-example": body(1, 0, 1, [(1, None), (300, 2)]),
        "empty": body(7, 2517, 2547, []),
        "many": body(2**40, 2517, 2900, [(i * 37 + 1, None if i % 3 else i) for i in range(40)]),
        "max-varints": body(2**64 - 1, 2517, 2**21, [(2**32 - 1, 2**32 - 1)]),
    }
    for name, b in lists.items():
        write("revocation_list", name, b)
        write("revocation_list", name + "-unsigned", b + bytes(64))
    # Product catalogs (license-issue/catalogs/*.toml).
    cat_dir = os.path.join(ROOT, "license-issue", "catalogs")
    for f in sorted(os.listdir(cat_dir)) if os.path.isdir(cat_dir) else []:
        with open(os.path.join(cat_dir, f), "rb") as fh:
            write("catalog", f, fh.read())
    write("catalog", "minimal.toml", 'product = "p"\n')

    # Reseller ledger exports (docs/FORMAT.md, "Reseller ledger export"): a header alone,
    # and one record of a reseller's code (from a licensectl run; its key is not the fuzz key).
    def export_header(n):
        return ('{"format":"license-kit/reseller-export","version":1,"reseller":"Contoso",'
                '"month":"2026-11","exported":"2026-12-01","records":' + str(n) + '}\n')
    record = '{"recorded":"2026-11-02","operation":"issue","product":"demo-erp","licensee":"ACME","reseller":"Contoso","database":"DB-1","license":{"license_id":500000,"revision":1,"kind":"subscription","line":0,"named_users":20,"concurrent_seats":null,"demo_seats":2,"modules":1,"issued":"2026-11-02","valid_from":"2026-11-02","expires":"2027-11-02","grace_days":14,"maintenance_ends":"2027-11-02","binding":{"database":true,"machine":null}},"code":"T437Y-1YCTM-JHHEF-63HYJ-V2MF6-WQ7D1-10M91-95S2D-PD4Y5-49SNK-A3Z5E-XXC3M-6VVEE-HQQ6V-R10C1-YJ5MK-08F90-0SJM3-11X0Y-33RPS-FE4NZ-HWGZB-VGSF3-EFHHM-XQVAZ-6VDHZ-SBERC-ZKCJH-2KEPY-9VMSG-EXXM0-842J3-AKTCZ-RNAYA-MVAX7-6WXSV-91NWG-BK541-6GKXZ-QFYR6-0AQA1-GC6YF-GY043-18002-070H6-00S1R-0G2SM-BXP9Z-ENG35-ETNNW-M18F2-YFGJN-5G8W0-PEP8Z-3QY8A-C6D27-CD8RW-M6FAK-VJ6ST-DY9KW-HE19N-AJG3F-TBQXG-N7HDR-91SFD-11CPG-74KGV-HM30G-GR8"}'
    write("reseller_export", "empty", export_header(0))
    write("reseller_export", "one-record", export_header(1) + record + "\n")
    write("reseller_export", "other-version", export_header(0).replace('"version":1', '"version":2'))

    # Key files: PKCS#8 v1 PEM of the golden vectors' seed key, and hex public keys.
    import base64
    der = bytes.fromhex("302e020100300506032b657004220420") + bytes.fromhex(docs[0][1]["seed_key"])
    b64 = base64.b64encode(der).decode()
    write("key_file", "seed-key.pem", "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n")
    write("key_file", "public-hex", docs[0][1]["public_key"])
    # State files (license-verify): the first byte selects raw / tagged / spliced real body.
    for name, data in {"raw-empty": b"\x00", "tagged-empty": b"\x01", "real": b"\x02\xff",
                       "real-verify": b"\x82\xff", "real-cut": b"\x02\x07"}.items():
        write("state_file", name, data)
    for name, data in {"raw-empty": b"\x00", "tagged-empty": b"\x01", "tagged-short": b"\x01\x00\x00"}.items():
        write("state_decode", name, data)
    # Reseller's codes and chains (delegation vectors): mode byte 0 text, 2 chain text.
    with open(os.path.join(ROOT, "license-core", "tests", "vectors", "v2-delegation.json")) as f:
        delegation = json.load(f)
    for case in delegation["cases"]:
        write("delegated_code", case["name"], b"\x00" + case["code"].encode())
    for name, text in delegation["chains"].items():
        write("delegated_code", "chain-" + name, b"\x02" + text.encode())
    # Reseller bundles (license-issue ResellerBundle): the demo catalog, one vendor key, and
    # a chain text of the delegation vectors.
    with open(os.path.join(ROOT, "license-issue", "catalogs", "demo-erp.toml")) as f:
        demo_catalog = f.read()
    bundle = {"format": "license-reseller-bundle", "version": 1, "product": "demo-erp",
              "chain": next(iter(delegation["chains"].values())), "vendor_keys": [docs[0][1]["public_key"]], "catalog": demo_catalog}
    write("reseller_bundle", "demo", json.dumps(bundle, indent=2))
    write("reseller_bundle", "other-version", json.dumps(dict(bundle, version=2)))
    write("reseller_bundle", "bad-key", json.dumps(dict(bundle, vendor_keys=["zz"])))
    # Ticket ids (license-issue tickets): mode byte 0 an id, 1 an export file.
    tk = "TK-01234-56789-AB5EB"
    for name, text in [("pinned", tk), ("lower", tk.lower()), ("spaces", tk.replace("-", " ")),
                       ("wrong", tk[:9] + "7" + tk[10:]), ("swapped", tk[:4] + tk[5] + tk[4] + tk[6:]),
                       ("short", tk[:-1])]:
        write("ticket_id", name, b"\x00" + text.encode())
    write("ticket_id", "export-empty",
          b"\x01" + b'{"format":"license-tickets","version":1,"reseller":"Contoso","exported":"2026-12-01","tickets":[]}')
    print(f"seeded from {n} golden vectors into {os.path.join(HERE, 'corpus')}", file=sys.stderr)


if __name__ == "__main__":
    main()
