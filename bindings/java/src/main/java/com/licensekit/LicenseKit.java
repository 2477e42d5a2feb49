package com.licensekit;

import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/** Library-wide calls: version, result codes, database codes, diagnostics. */
public final class LicenseKit {
    private LicenseKit() {}

    /** {@code LIC_UNLIMITED} (as an unsigned 32-bit value: -1 in a Java int). */
    public static final int UNLIMITED = -1;

    /** The C library's version, e.g. "0.1.0". */
    public static String version() {
        return Native.lic_version();
    }

    /** The C name of a result code ({@code LIC_RESULT_TYPO}), or null for an unknown number. */
    public static String resultName(int code) {
        return Native.lic_result_name(code);
    }

    /** The fixed English sentence for a result code ("" for an unknown number). */
    public static String resultMessage(int code) {
        long[] n = new long[1];
        byte[] buf = new byte[256];
        int r = Native.lic_result_message(code, buf, buf.length, n);
        if (r == Calls.BUFFER_TOO_SMALL) {
            buf = new byte[(int) n[0] + 1];
            r = Native.lic_result_message(code, buf, buf.length, n);
        }
        return r == 0 ? new String(buf, 0, (int) n[0], StandardCharsets.UTF_8) : "";
    }

    /** For tests only: handles the C library has made and not freed, in this process. */
    public static long liveHandles() {
        return Native.lic_debug_live_handles();
    }

    /** A new database code for this installation (create it once, store it, show it). */
    public static String databaseCodeNew() throws LicenseException {
        return Calls.text(Native::lic_database_code_new, 32);
    }

    /** The canonical form of a database code as typed. */
    public static String databaseCodeNormalize(String text) throws LicenseException {
        byte[] t = Calls.utf8(text);
        return Calls.text((b, c, o) -> Native.lic_database_code_normalize(t, t.length, b, c, o), 32);
    }

    private static Native.DiagnosticFn diagnostics; // kept reachable while installed

    /**
     * Deliver the library's diagnostic lines up to {@code maxLevel} to {@code callback} for
     * the whole process; null stops them. Exceptions thrown by the callback are dropped.
     */
    public static synchronized void setDiagnosticCallback(BiConsumer<LogLevel, String> callback, LogLevel maxLevel)
            throws LicenseException {
        if (callback == null) {
            Calls.check(Native.lic_set_diagnostic_callback(null, null, maxLevel.number()));
            diagnostics = null;
            return;
        }
        Native.DiagnosticFn fn = (Pointer user, int level, Pointer message, long len) -> {
            try {
                String line = new String(message.getByteArray(0, (int) len), StandardCharsets.UTF_8);
                callback.accept(LogLevel.values()[level - 1], line);
            } catch (RuntimeException e) {
                // never unwind into C
            }
        };
        Calls.check(Native.lic_set_diagnostic_callback(fn, null, maxLevel.number()));
        diagnostics = fn;
    }
}
