package com.licensekit;

/** A client of a seat server (with servers to fail over to, {@link #addServer}) for one
 *  holder. Thread-safe, except {@link #setIdentity}, {@link #setLeaseFile} and
 *  {@link #addServer}, which must not run while another thread uses the client (set them
 *  up first). Calls block (10 s at most). */
public final class SeatClient extends NativeHandle {
    private SeatClient(com.sun.jna.Pointer p) {
        super(p, Native::lic_seat_client_free);
    }

    /** A client accepting only leases signed by {@code serverKey} (32 bytes). */
    public static SeatClient create(String serverUrl, String product, String holder, byte[] serverKey)
            throws LicenseException {
        byte[] u = Calls.utf8(serverUrl);
        byte[] p = Calls.utf8(product);
        byte[] h = Calls.utf8(holder);
        return new SeatClient(Calls.make(out -> Native.lic_seat_client_new(u, u.length, p, p.length, h, h.length,
            serverKey, serverKey.length, out)));
    }

    /** A client accepting only the seat server the verified code names. */
    public static SeatClient forLicense(String serverUrl, String product, String holder, License license)
            throws LicenseException {
        byte[] u = Calls.utf8(serverUrl);
        byte[] p = Calls.utf8(product);
        byte[] h = Calls.utf8(holder);
        return new SeatClient(Calls.make(out -> Native.lic_seat_client_new_for_license(u, u.length, p, p.length, h,
            h.length, license.ptr(), out)));
    }

    /** Name the user and the machine, for the server's administrators. */
    public void setIdentity(String user, String machine) throws LicenseException {
        byte[] u = Calls.utf8(user);
        byte[] m = Calls.utf8(machine);
        Calls.check(Native.lic_seat_client_set_identity(ptr(), u, u.length, m, m.length));
    }

    /** Add a server to fail over to, after the first one and those added before: when the
     *  current server cannot be reached, the others are tried in order and the one that
     *  answers becomes the current one. The servers of one list serve one license (one
     *  server key). */
    public void addServer(String serverUrl) throws LicenseException {
        byte[] u = Calls.utf8(serverUrl);
        Calls.check(Native.lic_seat_client_add_server(ptr(), u, u.length));
    }

    /** Keep the holder key and the lease in this file (0600), so that a restarted process
     *  proves it still holds its seat (the seat server's holder proof). */
    public void setLeaseFile(String path) throws LicenseException {
        byte[] p = Calls.utf8(path);
        Calls.check(Native.lic_seat_client_set_lease_file(ptr(), p, p.length));
    }

    /** Take a seat (0: the server's default TTL). */
    public Records.SeatLease acquire(int ttlSecs) throws LicenseException {
        Native.CSeatLease l = new Native.CSeatLease();
        Calls.check(Native.lic_seat_client_acquire(ptr(), ttlSecs, l));
        return Records.SeatLease.of(l);
    }

    /** Borrow a seat for days. */
    public Records.SeatLease borrow(int days) throws LicenseException {
        Native.CSeatLease l = new Native.CSeatLease();
        Calls.check(Native.lic_seat_client_borrow(ptr(), days, l));
        return Records.SeatLease.of(l);
    }

    /** Renew the lease (every third of its TTL). */
    public Records.SeatLease heartbeat() throws LicenseException {
        Native.CSeatLease l = new Native.CSeatLease();
        Calls.check(Native.lic_seat_client_heartbeat(ptr(), l));
        return Records.SeatLease.of(l);
    }

    /** Give the seat back; whether the server removed it. */
    public boolean release() throws LicenseException {
        byte[] v = new byte[1];
        Calls.check(Native.lic_seat_client_release(ptr(), v));
        return v[0] != 0;
    }

    /** Whether this client holds a seat. */
    public boolean holdsSeat() throws LicenseException {
        byte[] v = new byte[1];
        Calls.check(Native.lic_seat_client_holds_seat(ptr(), v));
        return v[0] != 0;
    }

    /** The lease token to keep for a borrowed seat. */
    public String token() throws LicenseException {
        return Calls.text((b, c, o) -> Native.lic_seat_client_token(ptr(), b, c, o), 1024);
    }

    /** Take over a token kept from an earlier run, verified offline now. */
    public Records.SeatLease adoptToken(String token) throws LicenseException {
        byte[] t = Calls.utf8(token);
        Native.CSeatLease l = new Native.CSeatLease();
        Calls.check(Native.lic_seat_client_adopt_token(ptr(), t, t.length, l));
        return Records.SeatLease.of(l);
    }
}
