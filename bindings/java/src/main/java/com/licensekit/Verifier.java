package com.licensekit;

import java.nio.file.Path;

/**
 * Verifies license codes for one installation; thread-safe. The {@code ...At} methods take
 * the time as Unix seconds (UTC); the others read the system clock.
 */
public final class Verifier extends NativeHandle {
    /** A verifier built from {@code config} (which stays usable and must still be closed). */
    public Verifier(VerifierConfig config) throws LicenseException {
        super(Calls.make(out -> Native.lic_verifier_new(config.ptr(), out)), Native::lic_verifier_free);
    }

    /** Verify a code as the customer pasted it. */
    public License verifyText(String code) throws LicenseException {
        byte[] t = Calls.utf8(code);
        return new License(Calls.make(out -> Native.lic_verifier_verify_text(ptr(), t, t.length, out)));
    }

    /** {@link #verifyText(String)} at {@code nowUnix}. */
    public License verifyTextAt(String code, long nowUnix) throws LicenseException {
        byte[] t = Calls.utf8(code);
        return new License(Calls.make(out -> Native.lic_verifier_verify_text_at(ptr(), t, t.length, nowUnix, out)));
    }

    /** Verify the code stored in a text file. */
    public License verifyFile(Path path) throws LicenseException {
        byte[] t = Calls.utf8(path.toString());
        return new License(Calls.make(out -> Native.lic_verifier_verify_file(ptr(), t, t.length, out)));
    }

    /** {@link #verifyFile(Path)} at {@code nowUnix}. */
    public License verifyFileAt(Path path, long nowUnix) throws LicenseException {
        byte[] t = Calls.utf8(path.toString());
        return new License(Calls.make(out -> Native.lic_verifier_verify_file_at(ptr(), t, t.length, nowUnix, out)));
    }

    /** Install a revocation list (its binary form). */
    public Records.RevocationInfo ingestRevocationList(byte[] list) throws LicenseException {
        Native.CRevocationInfo info = new Native.CRevocationInfo();
        Calls.check(Native.lic_verifier_ingest_revocation_list(ptr(), list, list.length, info));
        return Records.RevocationInfo.of(info);
    }

    /** {@link #ingestRevocationList(byte[])} at {@code nowUnix}. */
    public Records.RevocationInfo ingestRevocationListAt(byte[] list, long nowUnix) throws LicenseException {
        Native.CRevocationInfo info = new Native.CRevocationInfo();
        Calls.check(Native.lic_verifier_ingest_revocation_list_at(ptr(), list, list.length, nowUnix, info));
        return Records.RevocationInfo.of(info);
    }

    /** Install the revocation list stored in a file. */
    public Records.RevocationInfo ingestRevocationFile(Path path) throws LicenseException {
        byte[] t = Calls.utf8(path.toString());
        Native.CRevocationInfo info = new Native.CRevocationInfo();
        Calls.check(Native.lic_verifier_ingest_revocation_file(ptr(), t, t.length, info));
        return Records.RevocationInfo.of(info);
    }

    /** The installed revocation list, or null. */
    public Records.RevocationInfo revocationList() throws LicenseException {
        byte[] installed = new byte[1];
        Native.CRevocationInfo info = new Native.CRevocationInfo();
        Calls.check(Native.lic_verifier_revocation_list(ptr(), installed, info));
        return installed[0] != 0 ? Records.RevocationInfo.of(info) : null;
    }

    /** Check the clock against the latest time seen (long-running applications). */
    public void checkClock() throws LicenseException {
        Calls.check(Native.lic_verifier_check_clock(ptr()));
    }

    /** {@link #checkClock()} at {@code nowUnix}. */
    public void checkClockAt(long nowUnix) throws LicenseException {
        Calls.check(Native.lic_verifier_check_clock_at(ptr(), nowUnix));
    }

    /** Write pending changes to the state file. */
    public void flushState() throws LicenseException {
        Calls.check(Native.lic_verifier_flush_state(ptr()));
    }

    /** For support only: start the guards afresh. */
    public void resetState() throws LicenseException {
        Calls.check(Native.lic_verifier_reset_state(ptr()));
    }
}
