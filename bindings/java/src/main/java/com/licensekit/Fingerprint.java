package com.licensekit;

import com.sun.jna.Pointer;
import java.util.EnumSet;

/**
 * A machine fingerprint: {@link #collect} reads this machine; {@link #Fingerprint(byte[])}
 * starts empty for the host to fill. Not thread-safe while being filled.
 */
public final class Fingerprint extends NativeHandle {
    private Fingerprint(Pointer p) {
        super(p, Native::lic_fingerprint_free);
    }

    /** An empty fingerprint hashed with {@code appKey} (by default, the product id). */
    public Fingerprint(byte[] appKey) throws LicenseException {
        this(Calls.make(out -> Native.lic_fingerprint_new(appKey, appKey.length, out)));
    }

    /** This machine's fingerprint, hashed with {@code appKey}. */
    public static Fingerprint collect(byte[] appKey) throws LicenseException {
        return new Fingerprint(Calls.make(out -> Native.lic_fingerprint_collect(appKey, appKey.length, out)));
    }

    /** Add a raw component value; false if it carries no information or was there already. */
    public boolean addComponent(Component component, String value) throws LicenseException {
        byte[] v = Calls.utf8(value);
        byte[] added = new byte[1];
        Calls.check(Native.lic_fingerprint_add_component(ptr(), component.ordinal(), v, v.length, added));
        return added[0] != 0;
    }

    /** Add a network adapter's 6-byte MAC; false if left out (virtual, zero, multicast). */
    public boolean addMac(byte[] mac) throws LicenseException {
        byte[] added = new byte[1];
        Calls.check(Native.lic_fingerprint_add_mac(ptr(), mac, mac.length, added));
        return added[0] != 0;
    }

    /** The components with at least one digest. */
    public EnumSet<Component> knownComponents() throws LicenseException {
        int[] mask = new int[1];
        Calls.check(Native.lic_fingerprint_known_components(ptr(), mask));
        EnumSet<Component> set = EnumSet.noneOf(Component.class);
        for (Component c : Component.values()) {
            if ((mask[0] >> c.ordinal() & 1) != 0) {
                set.add(c);
            }
        }
        return set;
    }

    /** The printable fingerprint the customer sends to the vendor. */
    public String print(int tolerance) throws LicenseException {
        return Calls.text((b, c, o) -> Native.lic_fingerprint_print(ptr(), tolerance, b, c, o), 64);
    }

    /** A report in plain words for support. */
    public String describe(int tolerance) throws LicenseException {
        return Calls.text((b, c, o) -> Native.lic_fingerprint_describe(ptr(), tolerance, b, c, o), 2048);
    }
}
