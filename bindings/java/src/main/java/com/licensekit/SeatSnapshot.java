package com.licensekit;

import java.util.ArrayList;
import java.util.List;

/** A seat pool's usage at one moment. Immutable. */
public final class SeatSnapshot extends NativeHandle {
    SeatSnapshot(com.sun.jna.Pointer p) {
        super(p, Native::lic_seat_snapshot_free);
    }

    /** Seats in use, the limit and the peak. */
    public Records.Usage usage() throws LicenseException {
        int[] a = new int[1];
        int[] b = new int[1];
        int[] c = new int[1];
        Calls.check(Native.lic_seat_snapshot_usage(ptr(), a, b, c));
        return new Records.Usage(a[0], b[0], c[0]);
    }

    /** The holders, oldest seat first. */
    public List<Records.SeatHolder> holders() throws LicenseException {
        List<Records.SeatHolder> out = new ArrayList<>();
        int n = usage().inUse();
        for (int i = 0; i < n; i++) {
            long index = i;
            long[] since = new long[1];
            long[] expires = new long[1];
            String name = Calls.text((b, c, o) -> Native.lic_seat_snapshot_holder(ptr(), index, b, c, o, since, expires),
                128);
            out.add(new Records.SeatHolder(name, since[0], expires[0]));
        }
        return out;
    }
}
