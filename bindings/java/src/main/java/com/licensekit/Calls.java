package com.licensekit;

import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/** The calling conventions of the C interface: result codes, text in and out. */
final class Calls {
    private Calls() {}

    static final int BUFFER_TOO_SMALL = 3;

    static String lastError() {
        long[] n = new long[1];
        byte[] buf = new byte[512];
        int r = Native.lic_last_error_message(buf, buf.length, n);
        if (r == BUFFER_TOO_SMALL) {
            buf = new byte[(int) n[0] + 1];
            r = Native.lic_last_error_message(buf, buf.length, n);
        }
        return r == 0 ? new String(buf, 0, (int) n[0], StandardCharsets.UTF_8) : "";
    }

    static LicenseException error(int code) {
        String message = lastError();
        if (message.isEmpty()) {
            message = LicenseKit.resultMessage(code);
        }
        return new LicenseException(code, message);
    }

    static void check(int code) throws LicenseException {
        if (code != 0) {
            throw error(code);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A text-out call: {@code (buf, bufLen, outLen) -> result}. */
    interface TextOut {
        int call(byte[] buf, long bufLen, long[] outLen);
    }

    static String text(TextOut f, int size) throws LicenseException {
        long[] n = new long[1];
        byte[] buf = new byte[size];
        int r = f.call(buf, buf.length, n);
        if (r == BUFFER_TOO_SMALL) {
            buf = new byte[(int) n[0] + 1];
            r = f.call(buf, buf.length, n);
        }
        check(r);
        return new String(buf, 0, (int) n[0], StandardCharsets.UTF_8);
    }

    /** A call making a handle: {@code (out) -> result}; {@code out[0]} receives the pointer. */
    interface Maker {
        int call(long[] out);
    }

    static Pointer make(Maker f) throws LicenseException {
        long[] out = new long[1];
        check(f.call(out));
        return new Pointer(out[0]);
    }
}
