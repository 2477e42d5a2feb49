"""The Python side of bindings/bench/run.sh: as verify_c.c, through license_kit."""
import sys
import time

import license_kit as lk

code, key, os_id, uuid, cpu, mac, at, n = sys.argv[1:9]
at, n = int(at), int(n)
with lk.Fingerprint("demo-erp") as fp, lk.VerifierConfig("demo-erp", lk.Date(2026, 11, 1)) as c:
    fp.add_component(lk.Component.OS_INSTALL_ID, os_id)
    fp.add_component(lk.Component.HARDWARE_UUID, uuid)
    fp.add_component(lk.Component.CPU, cpu)
    fp.add_mac(bytes.fromhex(mac))
    c.add_key(key).set_licensee("ACME Corp").set_fingerprint(fp)
    with lk.Verifier(c) as v:
        for rnd in range(2):  # round 0 warms up
            t0 = time.perf_counter_ns()
            for _ in range(n):
                with v.verify_text(code, now=at):
                    pass
            if rnd == 1:
                print(round((time.perf_counter_ns() - t0) / n))
