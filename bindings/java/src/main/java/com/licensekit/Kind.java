package com.licensekit;

/** The kind of license ({@code lic_kind}); the ordinal is the C number. */
public enum Kind {
    /** Perpetual; releases limited by maintenance. */
    FULL,
    /** Trial or demo. */
    TRIAL,
    /** Subscription: one paid term. */
    SUBSCRIPTION,
    /** Not for resale. */
    NFR
}
