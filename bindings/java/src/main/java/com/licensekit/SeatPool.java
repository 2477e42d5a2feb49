package com.licensekit;

/**
 * A local pool of concurrent seats; thread-safe. {@code nowMs} arguments are milliseconds
 * since the pool was created, on the caller's monotonic clock.
 */
public final class SeatPool extends NativeHandle {
    private SeatPool(com.sun.jna.Pointer p) {
        super(p, Native::lic_seat_pool_free);
    }

    /** A pool of {@code seats} seats ({@link LicenseKit#UNLIMITED}: not limited). */
    public SeatPool(int seats, int leaseSecs) throws LicenseException {
        this(Calls.make(out -> Native.lic_seat_pool_new(seats, leaseSecs, out)));
    }

    /** A pool sized by the license's concurrent seats in effect now. */
    public static SeatPool forLicense(License license, int leaseSecs) throws LicenseException {
        return new SeatPool(Calls.make(out -> Native.lic_seat_pool_new_for_license(license.ptr(), leaseSecs, out)));
    }

    /** Take a seat for {@code holder} at login. */
    public Records.PoolLease acquire(String holder) throws LicenseException {
        byte[] h = Calls.utf8(holder);
        Native.CLease l = new Native.CLease();
        Calls.check(Native.lic_seat_pool_acquire(ptr(), h, h.length, l));
        return Records.PoolLease.of(l);
    }

    /** {@link #acquire(String)} at {@code nowMs}. */
    public Records.PoolLease acquireAt(String holder, long nowMs) throws LicenseException {
        byte[] h = Calls.utf8(holder);
        Native.CLease l = new Native.CLease();
        Calls.check(Native.lic_seat_pool_acquire_at(ptr(), h, h.length, nowMs, l));
        return Records.PoolLease.of(l);
    }

    /** Renew {@code holder}'s lease (SEAT_LEASE_LOST if it has none). */
    public Records.PoolLease heartbeatAt(String holder, long nowMs) throws LicenseException {
        byte[] h = Calls.utf8(holder);
        Native.CLease l = new Native.CLease();
        Calls.check(Native.lic_seat_pool_heartbeat_at(ptr(), h, h.length, nowMs, l));
        return Records.PoolLease.of(l);
    }

    /** {@link #heartbeatAt} now. */
    public Records.PoolLease heartbeat(String holder) throws LicenseException {
        byte[] h = Calls.utf8(holder);
        Native.CLease l = new Native.CLease();
        Calls.check(Native.lic_seat_pool_heartbeat(ptr(), h, h.length, l));
        return Records.PoolLease.of(l);
    }

    /** Free {@code holder}'s seat; whether it held one. */
    public boolean release(String holder) throws LicenseException {
        byte[] h = Calls.utf8(holder);
        byte[] v = new byte[1];
        Calls.check(Native.lic_seat_pool_release(ptr(), h, h.length, v));
        return v[0] != 0;
    }

    /** Change the number of seats; how many seats were taken back. */
    public int setLimit(int seats) throws LicenseException {
        int[] v = new int[1];
        Calls.check(Native.lic_seat_pool_set_limit(ptr(), seats, v));
        return v[0];
    }

    /** The pool's usage now. */
    public SeatSnapshot snapshot() throws LicenseException {
        return new SeatSnapshot(Calls.make(out -> Native.lic_seat_pool_snapshot(ptr(), out)));
    }

    /** The pool's usage at {@code nowMs}. */
    public SeatSnapshot snapshotAt(long nowMs) throws LicenseException {
        return new SeatSnapshot(Calls.make(out -> Native.lic_seat_pool_snapshot_at(ptr(), nowMs, out)));
    }
}
