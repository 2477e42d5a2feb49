package com.licensekit;

import com.sun.jna.Pointer;

/** A verified license: its scope and its status on the day it was verified. Immutable. */
public final class License extends NativeHandle {
    License(Pointer p) {
        super(p, Native::lic_license_free);
    }

    private interface IntOut {
        int call(Pointer l, int[] out);
    }

    private interface BoolOut {
        int call(Pointer l, byte[] out);
    }

    private interface DateOut {
        int call(Pointer l, Native.CDate out);
    }

    private int u32(IntOut f) throws LicenseException {
        int[] v = new int[1];
        Calls.check(f.call(ptr(), v));
        return v[0];
    }

    private boolean bool(BoolOut f) throws LicenseException {
        byte[] v = new byte[1];
        Calls.check(f.call(ptr(), v));
        return v[0] != 0;
    }

    private Date date(DateOut f) throws LicenseException {
        Native.CDate d = new Native.CDate();
        Calls.check(f.call(ptr(), d));
        d.read();
        return d.toDate();
    }

    /** The status on the day of verification. */
    public Status status() throws LicenseException {
        return Status.of(u32(Native::lic_license_status));
    }

    /** Days left in the current phase ({@link LicenseKit#UNLIMITED} for a perpetual license). */
    public int daysLeft() throws LicenseException {
        return u32(Native::lic_license_days_left);
    }

    /** Whether the application may run now. */
    public boolean isUsable() throws LicenseException {
        return bool(Native::lic_license_is_usable);
    }

    /**
     * Whether this verification was the first run of this installation: a state file is
     * configured but none was found, so the guards started afresh. Expected once after
     * installing; later it means the state file was deleted or moved (log it). Always false
     * without a state file.
     */
    public boolean firstRun() throws LicenseException {
        return bool(Native::lic_license_first_run);
    }

    /** Whether this release is covered by maintenance. */
    public boolean releaseCovered() throws LicenseException {
        return bool(Native::lic_license_release_covered);
    }

    /** Named users allowed now ({@link LicenseKit#UNLIMITED}: not limited). */
    public int namedUsers() throws LicenseException {
        return u32(Native::lic_license_named_users);
    }

    /** Concurrent seats allowed now. */
    public int concurrentSeats() throws LicenseException {
        return u32(Native::lic_license_concurrent_seats);
    }

    /** The product line number (0 to 15). */
    public int line() throws LicenseException {
        byte[] v = new byte[1];
        Calls.check(Native.lic_license_line(ptr(), v));
        return v[0] & 0xff;
    }

    /**
     * The product line's name as configured with {@link VerifierConfig#addLine}; empty when the
     * line has no configured name (then use {@link #line()}).
     */
    public String lineName() throws LicenseException {
        return Calls.text((b, c, o) -> Native.lic_license_line_name(ptr(), b, c, o), 64);
    }

    /** Full, trial, subscription or NFR. */
    public Kind kind() throws LicenseException {
        return Kind.values()[u32(Native::lic_license_kind)];
    }

    /** The license id. */
    public int id() throws LicenseException {
        return u32(Native::lic_license_id);
    }

    /** The revision of this code. */
    public int revision() throws LicenseException {
        return u32(Native::lic_license_revision);
    }

    /** The day the code was signed. */
    public Date issued() throws LicenseException {
        return date(Native::lic_license_issued);
    }

    /** The first valid day. */
    public Date validFrom() throws LicenseException {
        return date(Native::lic_license_valid_from);
    }

    /** The first day no longer valid; null for a perpetual license. */
    public Date expires() throws LicenseException {
        return date(Native::lic_license_expires);
    }

    /** The end of maintenance; null when every release is covered. */
    public Date maintenanceEnds() throws LicenseException {
        return date(Native::lic_license_maintenance_ends);
    }

    /** The day the license was verified for. */
    public Date today() throws LicenseException {
        return date(Native::lic_license_today);
    }

    /** The modules usable now as a bit mask. */
    public long modules() throws LicenseException {
        long[] v = new long[1];
        Calls.check(Native.lic_license_modules(ptr(), v));
        return v[0];
    }

    /** Whether the named module may be used now (UNKNOWN_MODULE for a name not configured). */
    public boolean hasModule(String name) throws LicenseException {
        byte[] t = Calls.utf8(name);
        byte[] v = new byte[1];
        Calls.check(Native.lic_license_has_module(ptr(), t, t.length, v));
        return v[0] != 0;
    }

    /** A later revision already known, or null. */
    public Records.PendingChange pendingChange() throws LicenseException {
        byte[] pending = new byte[1];
        int[] revision = new int[1];
        Native.CDate starts = new Native.CDate();
        Calls.check(Native.lic_license_pending_change(ptr(), pending, revision, starts));
        starts.read();
        return pending[0] != 0 ? new Records.PendingChange(revision[0], starts.toDate()) : null;
    }

    /** What the license grants, in plain words. */
    public String describe() throws LicenseException {
        return Calls.text((b, c, o) -> Native.lic_license_describe(ptr(), b, c, o), 1024);
    }

    /** Who issued the license. */
    public Records.Reseller reseller() throws LicenseException {
        int[] depth = new int[1];
        String name = Calls.text((b, c, o) -> Native.lic_license_reseller(ptr(), b, c, o, depth), 128);
        return new Records.Reseller(name, depth[0]);
    }
}
