package com.licensekit;

/** Values returned by the API (no handles: plain data). */
public final class Records {
    private Records() {}

    /** The installed revocation list. */
    public record RevocationInfo(long sequence, Date issued, Date expires, long entries) {
        static RevocationInfo of(Native.CRevocationInfo c) {
            return new RevocationInfo(c.sequence, c.issued.toDate(), c.expires.toDate(), c.entries);
        }
    }

    /** Who issued a license: an empty name and depth 0 for the vendor's own code. */
    public record Reseller(String name, int depth) {}

    /** A later revision already known, taking effect on {@code starts}. */
    public record PendingChange(int revision, Date starts) {}

    /** A seat held from a seat server. */
    public record SeatLease(long expiresUnixMs, long ttlSecs, int inUse, int limit, boolean borrowed,
                            boolean serverUnreachable) {
        static SeatLease of(Native.CSeatLease c) {
            return new SeatLease(c.expires_unix_ms, c.ttl_secs, c.in_use, c.limit, c.borrowed != 0,
                c.server_unreachable != 0);
        }
    }

    /** A seat granted or renewed by a local {@link SeatPool}. */
    public record PoolLease(long expiresMs, int inUse, boolean renewed) {
        static PoolLease of(Native.CLease c) {
            return new PoolLease(c.expires_ms, c.in_use, c.renewed != 0);
        }
    }

    /** One holder of a {@link SeatSnapshot}. */
    public record SeatHolder(String holder, long sinceMs, long expiresMs) {}

    /** A snapshot's counts ({@code limit} is {@link LicenseKit#UNLIMITED} when not limited). */
    public record Usage(int inUse, int limit, int peak) {}
}
