package com.licensekit;

import com.sun.jna.Callback;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.io.File;
import java.util.Map;

/**
 * The C functions of license-ffi, bound with JNA direct mapping (the fastest JNA calls).
 *
 * <p>The library is found, in order: the file named by the system property
 * {@code licensekit.library}; JNA's search ({@code jna.library.path}, the system's library
 * path); the copy inside the jar under JNA's platform folder ({@code linux-x86-64/},
 * {@code linux-aarch64/}, {@code win32-x86-64/}), which JNA extracts. {@code size_t} is
 * mapped to {@code long}, and a handle out-parameter ({@code lic_xxx **}) to a
 * {@code long[1]} receiving the pointer (cheaper than a {@code PointerByReference}, which
 * allocates native memory per call): 64-bit platforms only.
 */
final class Native {
    private Native() {}

    static {
        String path = System.getProperty("licensekit.library");
        NativeLibrary lib = path != null
            ? NativeLibrary.getInstance(new File(path).getAbsolutePath())
            : NativeLibrary.getInstance("license_ffi", Map.of());
        com.sun.jna.Native.register(Native.class, lib);
    }

    /** The library actually loaded (for tests). */
    static File file() {
        String path = System.getProperty("licensekit.library");
        return path != null ? new File(path) : NativeLibrary.getInstance("license_ffi").getFile();
    }

    /** {@code lic_date}, passed by value. */
    @Structure.FieldOrder({"year", "month", "day"})
    public static class CDate extends Structure {
        public short year;
        public byte month;
        public byte day;

        public CDate() {}

        CDate(Date d) {
            year = (short) d.year();
            month = (byte) d.month();
            day = (byte) d.day();
        }

        Date toDate() {
            return (year & 0xffff) == 0 ? null : new Date(year & 0xffff, month & 0xff, day & 0xff);
        }

        /** By value. */
        public static class ByValue extends CDate implements Structure.ByValue {
            public ByValue() {}

            ByValue(Date d) {
                super(d);
            }
        }
    }

    /** {@code lic_seat_lease}. */
    @Structure.FieldOrder({"expires_unix_ms", "ttl_secs", "in_use", "limit", "borrowed", "server_unreachable"})
    public static class CSeatLease extends Structure {
        public long expires_unix_ms;
        public long ttl_secs;
        public int in_use;
        public int limit;
        public byte borrowed;
        public byte server_unreachable;
    }

    /** {@code lic_lease}. */
    @Structure.FieldOrder({"expires_ms", "in_use", "renewed"})
    public static class CLease extends Structure {
        public long expires_ms;
        public int in_use;
        public byte renewed;
    }

    /** {@code lic_revocation_info}. */
    @Structure.FieldOrder({"sequence", "issued", "expires", "entries"})
    public static class CRevocationInfo extends Structure {
        public long sequence;
        public CDate issued;
        public CDate expires;
        public long entries;
    }

    /** {@code lic_diagnostic_fn}. */
    public interface DiagnosticFn extends Callback {
        void invoke(Pointer userData, int level, Pointer message, long len);
    }

    // library-wide
    static native String lic_version();
    static native String lic_result_name(int result);
    static native String lic_status_name(int status);
    static native int lic_result_message(int result, byte[] buf, long bufLen, long[] outLen);
    static native int lic_last_error_message(byte[] buf, long bufLen, long[] outLen);
    static native long lic_debug_live_handles();
    static native int lic_set_diagnostic_callback(DiagnosticFn callback, Pointer userData, int maxLevel);

    // configuration
    static native int lic_verifier_config_new(byte[] product, long productLen, CDate.ByValue buildDate, long[] out);
    static native int lic_verifier_config_add_key(Pointer config, byte[] key, long keyLen);
    static native int lic_verifier_config_set_licensee(Pointer config, byte[] s, long len);
    static native int lic_verifier_config_set_database(Pointer config, byte[] s, long len);
    static native int lic_verifier_config_set_fingerprint(Pointer config, Pointer fingerprint);
    static native int lic_verifier_config_set_fingerprint_app_key(Pointer config, byte[] key, long len);
    static native int lic_verifier_config_add_module(Pointer config, byte[] s, long len);
    static native int lic_verifier_config_add_line(Pointer config, byte[] s, long len);
    static native int lic_verifier_config_tolerate_unreadable(Pointer config, int component);
    static native int lic_verifier_config_set_state_file(Pointer config, byte[] path, long pathLen, byte[] secret, long secretLen);
    static native int lic_verifier_config_set_notice_days(Pointer config, short days);
    static native int lic_verifier_config_set_clock_tolerance(Pointer config, int seconds);
    static native void lic_verifier_config_free(Pointer config);

    // verifier
    static native int lic_verifier_new(Pointer config, long[] out);
    static native void lic_verifier_free(Pointer verifier);
    static native int lic_verifier_verify_text(Pointer v, byte[] text, long len, long[] out);
    static native int lic_verifier_verify_text_at(Pointer v, byte[] text, long len, long now, long[] out);
    static native int lic_verifier_verify_file(Pointer v, byte[] path, long len, long[] out);
    static native int lic_verifier_verify_file_at(Pointer v, byte[] path, long len, long now, long[] out);
    static native int lic_verifier_ingest_revocation_list(Pointer v, byte[] list, long len, CRevocationInfo out);
    static native int lic_verifier_ingest_revocation_list_at(Pointer v, byte[] list, long len, long now, CRevocationInfo out);
    static native int lic_verifier_ingest_revocation_file(Pointer v, byte[] path, long len, CRevocationInfo out);
    static native int lic_verifier_ingest_revocation_file_at(Pointer v, byte[] path, long len, long now, CRevocationInfo out);
    static native int lic_verifier_revocation_list(Pointer v, byte[] installed, CRevocationInfo out);
    static native int lic_verifier_check_clock(Pointer v);
    static native int lic_verifier_check_clock_at(Pointer v, long now);
    static native int lic_verifier_flush_state(Pointer v);
    static native int lic_verifier_reset_state(Pointer v);
    static native int lic_verifier_reset_state_at(Pointer v, long now);

    // license
    static native int lic_license_status(Pointer l, int[] out);
    static native int lic_license_days_left(Pointer l, int[] out);
    static native int lic_license_is_usable(Pointer l, byte[] out);
    static native int lic_license_first_run(Pointer l, byte[] out);
    static native int lic_license_release_covered(Pointer l, byte[] out);
    static native int lic_license_named_users(Pointer l, int[] out);
    static native int lic_license_concurrent_seats(Pointer l, int[] out);
    static native int lic_license_line(Pointer l, byte[] out);
    static native int lic_license_kind(Pointer l, int[] out);
    static native int lic_license_id(Pointer l, int[] out);
    static native int lic_license_revision(Pointer l, int[] out);
    static native int lic_license_issued(Pointer l, CDate out);
    static native int lic_license_valid_from(Pointer l, CDate out);
    static native int lic_license_expires(Pointer l, CDate out);
    static native int lic_license_maintenance_ends(Pointer l, CDate out);
    static native int lic_license_today(Pointer l, CDate out);
    static native int lic_license_modules(Pointer l, long[] out);
    static native int lic_license_has_module(Pointer l, byte[] name, long len, byte[] out);
    static native int lic_license_pending_change(Pointer l, byte[] pending, int[] revision, CDate starts);
    static native int lic_license_line_name(Pointer l, byte[] buf, long bufLen, long[] outLen);
    static native int lic_license_describe(Pointer l, byte[] buf, long bufLen, long[] outLen);
    static native int lic_license_reseller(Pointer l, byte[] buf, long bufLen, long[] outLen, int[] depth);
    static native void lic_license_free(Pointer l);

    // fingerprint and database code
    static native int lic_fingerprint_collect(byte[] key, long len, long[] out);
    static native int lic_fingerprint_new(byte[] key, long len, long[] out);
    static native int lic_fingerprint_add_component(Pointer f, int component, byte[] value, long len, byte[] added);
    static native int lic_fingerprint_add_mac(Pointer f, byte[] mac, long len, byte[] added);
    static native int lic_fingerprint_known_components(Pointer f, int[] mask);
    static native int lic_fingerprint_print(Pointer f, int tolerance, byte[] buf, long bufLen, long[] outLen);
    static native int lic_fingerprint_describe(Pointer f, int tolerance, byte[] buf, long bufLen, long[] outLen);
    static native void lic_fingerprint_free(Pointer f);
    static native int lic_database_code_new(byte[] buf, long bufLen, long[] outLen);
    static native int lic_database_code_normalize(byte[] text, long len, byte[] buf, long bufLen, long[] outLen);

    // seat client
    static native int lic_seat_client_new(byte[] url, long urlLen, byte[] product, long productLen, byte[] holder,
        long holderLen, byte[] key, long keyLen, long[] out);
    static native int lic_seat_client_new_for_license(byte[] url, long urlLen, byte[] product, long productLen,
        byte[] holder, long holderLen, Pointer license, long[] out);
    static native int lic_seat_client_set_identity(Pointer c, byte[] user, long userLen, byte[] machine, long machineLen);
    static native int lic_seat_client_set_lease_file(Pointer c, byte[] path, long pathLen);
    static native int lic_seat_client_add_server(Pointer c, byte[] url, long urlLen);
    static native void lic_seat_client_free(Pointer c);
    static native int lic_seat_client_acquire(Pointer c, int ttlSecs, CSeatLease out);
    static native int lic_seat_client_borrow(Pointer c, int days, CSeatLease out);
    static native int lic_seat_client_heartbeat(Pointer c, CSeatLease out);
    static native int lic_seat_client_release(Pointer c, byte[] removed);
    static native int lic_seat_client_holds_seat(Pointer c, byte[] held);
    static native int lic_seat_client_token(Pointer c, byte[] buf, long cap, long[] outLen);
    static native int lic_seat_client_adopt_token(Pointer c, byte[] token, long len, CSeatLease out);

    // seat pool
    static native int lic_seat_pool_new(int seats, int leaseSecs, long[] out);
    static native int lic_seat_pool_new_for_license(Pointer license, int leaseSecs, long[] out);
    static native void lic_seat_pool_free(Pointer p);
    static native int lic_seat_pool_acquire(Pointer p, byte[] holder, long len, CLease out);
    static native int lic_seat_pool_acquire_at(Pointer p, byte[] holder, long len, long nowMs, CLease out);
    static native int lic_seat_pool_heartbeat(Pointer p, byte[] holder, long len, CLease out);
    static native int lic_seat_pool_heartbeat_at(Pointer p, byte[] holder, long len, long nowMs, CLease out);
    static native int lic_seat_pool_release(Pointer p, byte[] holder, long len, byte[] held);
    static native int lic_seat_pool_set_limit(Pointer p, int seats, int[] overLimit);
    static native int lic_seat_pool_snapshot(Pointer p, long[] out);
    static native int lic_seat_pool_snapshot_at(Pointer p, long nowMs, long[] out);
    static native int lic_seat_snapshot_usage(Pointer s, int[] inUse, int[] limit, int[] peak);
    static native int lic_seat_snapshot_holder(Pointer s, long index, byte[] buf, long bufLen, long[] outLen,
        long[] sinceMs, long[] expiresMs);
    static native void lic_seat_snapshot_free(Pointer s);
}
