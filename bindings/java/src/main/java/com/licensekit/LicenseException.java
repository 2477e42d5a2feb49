package com.licensekit;

/**
 * A failed call: {@link #code()} is the result code (a named {@link ResultCode}), the
 * message the library's detailed message (what went wrong and what to do).
 */
public class LicenseException extends Exception {
    private static final long serialVersionUID = 1L;
    private final ResultCode code;
    private final int number;

    LicenseException(int number, String message) {
        super(message);
        this.number = number;
        ResultCode c = ResultCode.fromNumber(number);
        // A code newer than this binding is still a failure.
        this.code = c != null ? c : ResultCode.UNKNOWN;
    }

    /** The result code; {@link ResultCode#UNKNOWN} for a number this binding does not know. */
    public ResultCode code() {
        return code;
    }

    /** The result code's number as the C library returned it. */
    public int number() {
        return number;
    }
}
