package com.licensekit;

/** A component of a machine fingerprint ({@code lic_component}); the ordinal is the C number. */
public enum Component {
    /** The operating system's install id. */
    OS_INSTALL_ID,
    /** The hardware (SMBIOS/board) UUID. */
    HARDWARE_UUID,
    /** The CPU: brand string and core count. */
    CPU,
    /** The physical network adapters' MAC addresses (use {@link Fingerprint#addMac}). */
    NETWORK,
    /** The root file system's id. */
    ROOT_FILE_SYSTEM,
    /** The main board's serial number. */
    BOARD_SERIAL
}
