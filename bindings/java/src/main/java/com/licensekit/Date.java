package com.licensekit;

/** A calendar day (UTC). */
public record Date(int year, int month, int day) {
    @Override
    public String toString() {
        return String.format("%04d-%02d-%02d", year, month, day);
    }
}
