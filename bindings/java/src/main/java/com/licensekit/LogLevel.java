package com.licensekit;

/** How important a diagnostic line is ({@code lic_log_level}): ERROR is 1 ... DEBUG 4. */
public enum LogLevel {
    /** Reserved. */
    ERROR,
    /** Needs the administrator. */
    WARN,
    /** A decision: a code accepted or refused, a list installed. */
    INFO,
    /** Details. */
    DEBUG;

    /** The C number. */
    public int number() {
        return ordinal() + 1;
    }
}
