package com.licensekit;

import java.nio.file.Path;

/** What a {@link Verifier} is built from. Not thread-safe. The setters return this. */
public final class VerifierConfig extends NativeHandle {
    /** A configuration for {@code product} and the build date of this release. */
    public VerifierConfig(String product, Date buildDate) throws LicenseException {
        super(newConfig(product, buildDate), Native::lic_verifier_config_free);
    }

    private static com.sun.jna.Pointer newConfig(String product, Date buildDate) throws LicenseException {
        byte[] p = Calls.utf8(product);
        return Calls.make(out -> Native.lic_verifier_config_new(p, p.length, new Native.CDate.ByValue(buildDate), out));
    }

    /** Add a vendor public key (32 bytes). */
    public VerifierConfig addKey(byte[] key) throws LicenseException {
        Calls.check(Native.lic_verifier_config_add_key(ptr(), key, key.length));
        return this;
    }

    /** Set the licensee as configured in the installation. */
    public VerifierConfig setLicensee(String licensee) throws LicenseException {
        byte[] t = Calls.utf8(licensee);
        Calls.check(Native.lic_verifier_config_set_licensee(ptr(), t, t.length));
        return this;
    }

    /** Set the installation's database code. */
    public VerifierConfig setDatabase(String databaseCode) throws LicenseException {
        byte[] t = Calls.utf8(databaseCode);
        Calls.check(Native.lic_verifier_config_set_database(ptr(), t, t.length));
        return this;
    }

    /** Use this fingerprint for machine-bound codes (copied). */
    public VerifierConfig setFingerprint(Fingerprint fingerprint) throws LicenseException {
        Calls.check(Native.lic_verifier_config_set_fingerprint(ptr(), fingerprint.ptr()));
        return this;
    }

    /** Collect this machine's fingerprint with {@code appKey} instead of the product id. */
    public VerifierConfig setFingerprintAppKey(byte[] appKey) throws LicenseException {
        Calls.check(Native.lic_verifier_config_set_fingerprint_app_key(ptr(), appKey, appKey.length));
        return this;
    }

    /** Name the next module (0, 1, ... in the order added, as in the vendor's catalog). */
    public VerifierConfig addModule(String name) throws LicenseException {
        byte[] t = Calls.utf8(name);
        Calls.check(Native.lic_verifier_config_add_module(ptr(), t, t.length));
        return this;
    }

    /**
     * Name the next product line (0, 1, ... in the order added, at most 16, as in the vendor's
     * catalog); {@link License#lineName()} and {@link License#describe()} use them.
     */
    public VerifierConfig addLine(String name) throws LicenseException {
        byte[] t = Calls.utf8(name);
        Calls.check(Native.lic_verifier_config_add_line(ptr(), t, t.length));
        return this;
    }

    /**
     * Tolerate a bound machine component this process merely cannot read (root-only sources
     * such as the hardware UUID when running as a service user); the majority of all bound
     * components must still match. Call once per component.
     */
    public VerifierConfig tolerateUnreadable(Component component) throws LicenseException {
        Calls.check(Native.lic_verifier_config_tolerate_unreadable(ptr(), component.ordinal()));
        return this;
    }

    /** Keep the guards in a state file, protected with {@code secret} (16 bytes or more). */
    public VerifierConfig setStateFile(Path path, byte[] secret) throws LicenseException {
        byte[] t = Calls.utf8(path.toString());
        Calls.check(Native.lic_verifier_config_set_state_file(ptr(), t, t.length, secret, secret.length));
        return this;
    }

    /** Days before expiry from which the status is EXPIRING_SOON (default 30). */
    public VerifierConfig setNoticeDays(int days) throws LicenseException {
        Calls.check(Native.lic_verifier_config_set_notice_days(ptr(), (short) days));
        return this;
    }

    /** Seconds the clock may be behind the latest time seen (default 3600). */
    public VerifierConfig setClockTolerance(int seconds) throws LicenseException {
        Calls.check(Native.lic_verifier_config_set_clock_tolerance(ptr(), seconds));
        return this;
    }
}
