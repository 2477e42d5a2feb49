package com.licensekit;

/** Where a license stands on the day it was verified ({@code lic_status}). */
public enum Status {
    /** Before its first valid day. */
    NOT_YET_VALID(1, "not yet valid"),
    /** Valid, and not about to expire (or perpetual). */
    VALID(2, "valid"),
    /** Valid, expiring within the notice window. */
    EXPIRING_SOON(3, "valid, expiring soon"),
    /** Expired, in the grace period: fully usable. */
    IN_GRACE(4, "expired, in the grace period"),
    /** Expired and past grace: only the demo seat count is usable. */
    DEMO_MODE(5, "expired: demo mode"),
    /** Expired and past grace, with no demo mode. */
    EXPIRED(6, "expired"),
    /** An interim code past its end, replaced by its successor. */
    REPLACED(7, "replaced by its successor");

    private final int number;
    private final String words;

    Status(int number, String words) {
        this.number = number;
        this.words = words;
    }

    /** The number in the C interface. */
    public int number() {
        return number;
    }

    /** The status in plain words, for the user. */
    public String words() {
        return words;
    }

    static Status of(int number) {
        for (Status s : values()) {
            if (s.number == number) {
                return s;
            }
        }
        throw new IllegalArgumentException("status " + number);
    }
}
