// license_ffi.hpp: a thin, header-only C++17 wrapper over license_ffi.h.
// SPDX-License-Identifier: MIT OR Apache-2.0
//
// - RAII: every handle is owned by a move-only object that frees it (std::unique_ptr with
//   the matching lic_*_free).
// - Errors are exceptions: a call that fails throws lic::Error, which carries the
//   lic_result code (code()) and the library's detailed message (what()). Code that must
//   not throw can use the C functions directly; get() gives the handle.
// - Text goes in as std::string_view and comes out as std::string.
// - Thread safety is that of the C handles: Verifier, License, SeatPool and the
//   snapshot are safe to share across threads; VerifierConfig and a Fingerprint being
//   filled are not.
#ifndef LICENSE_FFI_HPP
#define LICENSE_FFI_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "license_ffi.h"

namespace lic {

/// A failed call: the result code and the detailed message.
class Error : public std::runtime_error {
public:
    Error(lic_result code, const std::string &message) : std::runtime_error(message), code_(code) {}
    /// The result code (never LIC_RESULT_OK).
    lic_result code() const noexcept { return code_; }

private:
    lic_result code_;
};

namespace detail {

/// Throw the Error for `r` with the thread's detailed message.
[[noreturn]] inline void fail(lic_result r) {
    std::string message;
    size_t len = 0;
    if (lic_last_error_message(nullptr, 0, &len) == LIC_RESULT_BUFFER_TOO_SMALL) {
        message.assign(len + 1, '\0');
        if (lic_last_error_message(message.data(), message.size(), &len) == LIC_RESULT_OK) {
            message.resize(len);
        } else {
            message.clear();
        }
    }
    throw Error(r, message);
}

inline void check(lic_result r) {
    if (r != LIC_RESULT_OK) fail(r);
}

/// The text of a text-out call: first into a stack buffer, then at the exact size.
template <typename F>
std::string text(F &&call) {
    char buf[512];
    size_t len = 0;
    lic_result r = call(buf, sizeof buf, &len);
    if (r == LIC_RESULT_OK) return std::string(buf, len);
    if (r != LIC_RESULT_BUFFER_TOO_SMALL) fail(r);
    std::string s(len + 1, '\0');
    check(call(s.data(), s.size(), &len));
    s.resize(len);
    return s;
}

/// A pointer for a text argument: never NULL, even for an empty std::string_view.
inline const char *chars(std::string_view s) { return s.data() != nullptr ? s.data() : ""; }
inline const uint8_t *bytes(std::string_view s) {
    return reinterpret_cast<const uint8_t *>(chars(s));
}

template <typename T, void (*Free)(T *)>
struct Deleter {
    void operator()(T *p) const noexcept { Free(p); }
};
template <typename T, void (*Free)(T *)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

}  // namespace detail

/// The fixed message for a result code.
inline std::string result_message(lic_result code) {
    return detail::text(
        [code](char *buf, size_t n, size_t *len) { return lic_result_message(code, buf, n, len); });
}

/// The code's stable C name ("LIC_RESULT_TYPO"), "" for a number that is no code.
inline std::string result_name(lic_result code) {
    const char *name = lic_result_name(code);
    return name != nullptr ? name : "";
}

/// The status's stable C name ("LIC_STATUS_IN_GRACE"), "" for a number that is no status.
inline std::string status_name(lic_status status) {
    const char *name = lic_status_name(status);
    return name != nullptr ? name : "";
}

/// A new database code for this installation ("DB-XXXXX-XXXXX-XXXXX-XXXXX"): create it
/// once, store it in the product's database, show it in the license dialog.
inline std::string new_database_code() {
    return detail::text([](char *buf, size_t n, size_t *len) { return lic_database_code_new(buf, n, len); });
}

/// The canonical form of a database code as typed or pasted; throws lic::Error
/// (LIC_RESULT_DATABASE_CODE_INVALID, the message naming the group of a typo) otherwise.
inline std::string normalize_database_code(std::string_view typed) {
    return detail::text([typed](char *buf, size_t n, size_t *len) {
        return lic_database_code_normalize(detail::chars(typed), typed.size(), buf, n, len);
    });
}

/// The linked library's version (compare with LIC_VERSION).
inline std::string version() { return lic_version(); }

/// A machine fingerprint, collected or supplied.
class Fingerprint {
public:
    /// This machine's fingerprint, keyed with `app_key`.
    static Fingerprint collect(std::string_view app_key) {
        lic_fingerprint *fp = nullptr;
        detail::check(lic_fingerprint_collect(detail::bytes(app_key), app_key.size(), &fp));
        return Fingerprint(fp);
    }
    /// An empty fingerprint the application fills itself.
    static Fingerprint empty(std::string_view app_key) {
        lic_fingerprint *fp = nullptr;
        detail::check(lic_fingerprint_new(detail::bytes(app_key), app_key.size(), &fp));
        return Fingerprint(fp);
    }
    /// Add a component's raw value; whether a digest was recorded.
    bool add_component(lic_component component, std::string_view value) {
        bool added = false;
        detail::check(lic_fingerprint_add_component(handle_.get(), component, detail::chars(value),
                                                    value.size(), &added));
        return added;
    }
    /// Add a network adapter's MAC address; whether a digest was recorded.
    bool add_mac(const std::array<uint8_t, 6> &mac) {
        bool added = false;
        detail::check(lic_fingerprint_add_mac(handle_.get(), mac.data(), mac.size(), &added));
        return added;
    }
    /// Bit mask of the known components.
    uint32_t known_components() const {
        uint32_t mask = 0;
        detail::check(lic_fingerprint_known_components(handle_.get(), &mask));
        return mask;
    }
    /// The printable fingerprint for the vendor.
    std::string print(uint32_t tolerance = 1) const {
        return detail::text([&](char *buf, size_t n, size_t *len) {
            return lic_fingerprint_print(handle_.get(), tolerance, buf, n, len);
        });
    }
    /// A report per component, in plain words.
    std::string describe(uint32_t tolerance = 1) const {
        return detail::text([&](char *buf, size_t n, size_t *len) {
            return lic_fingerprint_describe(handle_.get(), tolerance, buf, n, len);
        });
    }
    const lic_fingerprint *get() const noexcept { return handle_.get(); }

private:
    explicit Fingerprint(lic_fingerprint *fp) : handle_(fp) {}
    detail::Owned<lic_fingerprint, lic_fingerprint_free> handle_;
};

/// What a Verifier is built from. Setters return *this for chaining.
class VerifierConfig {
public:
    VerifierConfig(std::string_view product, lic_date build_date) {
        lic_verifier_config *c = nullptr;
        detail::check(lic_verifier_config_new(detail::chars(product), product.size(), build_date, &c));
        handle_.reset(c);
    }
    VerifierConfig &add_key(const uint8_t *key, size_t len) {
        detail::check(lic_verifier_config_add_key(handle_.get(), key, len));
        return *this;
    }
    VerifierConfig &licensee(std::string_view s) {
        detail::check(lic_verifier_config_set_licensee(handle_.get(), detail::chars(s), s.size()));
        return *this;
    }
    VerifierConfig &database(std::string_view s) {
        detail::check(lic_verifier_config_set_database(handle_.get(), detail::chars(s), s.size()));
        return *this;
    }
    VerifierConfig &fingerprint(const Fingerprint &fp) {
        detail::check(lic_verifier_config_set_fingerprint(handle_.get(), fp.get()));
        return *this;
    }
    VerifierConfig &fingerprint_app_key(std::string_view key) {
        detail::check(lic_verifier_config_set_fingerprint_app_key(handle_.get(), detail::bytes(key),
                                                                  key.size()));
        return *this;
    }
    /// Tolerate a machine component this process merely cannot read (see
    /// lic_verifier_config_tolerate_unreadable).
    VerifierConfig &tolerate_unreadable(lic_component component) {
        detail::check(lic_verifier_config_tolerate_unreadable(handle_.get(), static_cast<uint32_t>(component)));
        return *this;
    }
    /// The catalog's product line names, in line-number order (see lic_verifier_config_add_line).
    VerifierConfig &add_line(std::string_view name) {
        detail::check(lic_verifier_config_add_line(handle_.get(), detail::chars(name), name.size()));
        return *this;
    }
    VerifierConfig &add_module(std::string_view name) {
        detail::check(lic_verifier_config_add_module(handle_.get(), detail::chars(name), name.size()));
        return *this;
    }
    VerifierConfig &state_file(std::string_view path, std::string_view secret) {
        detail::check(lic_verifier_config_set_state_file(handle_.get(), detail::chars(path), path.size(),
                                                         detail::bytes(secret), secret.size()));
        return *this;
    }
    VerifierConfig &notice_days(uint16_t days) {
        detail::check(lic_verifier_config_set_notice_days(handle_.get(), days));
        return *this;
    }
    VerifierConfig &clock_tolerance(uint32_t seconds) {
        detail::check(lic_verifier_config_set_clock_tolerance(handle_.get(), seconds));
        return *this;
    }
    const lic_verifier_config *get() const noexcept { return handle_.get(); }

private:
    detail::Owned<lic_verifier_config, lic_verifier_config_free> handle_;
};

/// A verified license and what it grants on the day it was verified.
class License {
public:
    lic_status status() const { return read<lic_status>(lic_license_status); }
    uint32_t days_left() const { return read<uint32_t>(lic_license_days_left); }
    bool is_usable() const { return read<bool>(lic_license_is_usable); }
    /// No state file was found: the guards started afresh (see lic_license_first_run).
    bool first_run() const { return read<bool>(lic_license_first_run); }
    bool release_covered() const { return read<bool>(lic_license_release_covered); }
    /// LIC_UNLIMITED when not limited.
    uint32_t named_users() const { return read<uint32_t>(lic_license_named_users); }
    /// LIC_UNLIMITED when not limited.
    uint32_t concurrent_seats() const { return read<uint32_t>(lic_license_concurrent_seats); }
    uint8_t line() const { return read<uint8_t>(lic_license_line); }
    lic_kind kind() const { return read<lic_kind>(lic_license_kind); }
    uint32_t id() const { return read<uint32_t>(lic_license_id); }
    uint32_t revision() const { return read<uint32_t>(lic_license_revision); }
    lic_date issued() const { return read<lic_date>(lic_license_issued); }
    lic_date valid_from() const { return read<lic_date>(lic_license_valid_from); }
    lic_date today() const { return read<lic_date>(lic_license_today); }
    /// No value for a perpetual license.
    std::optional<lic_date> expires() const { return optional(read<lic_date>(lic_license_expires)); }
    /// No value when every release is covered.
    std::optional<lic_date> maintenance_ends() const {
        return optional(read<lic_date>(lic_license_maintenance_ends));
    }
    uint64_t modules() const { return read<uint64_t>(lic_license_modules); }
    bool has_module(std::string_view name) const {
        bool has = false;
        detail::check(lic_license_has_module(handle_.get(), detail::chars(name), name.size(), &has));
        return has;
    }
    /// A later revision already known that takes effect on a later day.
    struct PendingChange {
        uint32_t revision;
        lic_date starts;
    };
    /// No value when no later revision is pending.
    std::optional<PendingChange> pending_change() const {
        bool pending = false;
        PendingChange change{};
        detail::check(lic_license_pending_change(handle_.get(), &pending, &change.revision, &change.starts));
        if (!pending) return std::nullopt;
        return change;
    }
    std::string describe() const {
        return detail::text([&](char *buf, size_t n, size_t *len) {
            return lic_license_describe(handle_.get(), buf, n, len);
        });
    }
    /// The line's configured name (VerifierConfig::add_line); empty when it has none.
    std::string line_name() const {
        return detail::text([&](char *buf, size_t n, size_t *len) {
            return lic_license_line_name(handle_.get(), buf, n, len);
        });
    }
    const lic_license *get() const noexcept { return handle_.get(); }

private:
    friend class Verifier;
    explicit License(lic_license *l) : handle_(l) {}
    template <typename T>
    T read(lic_result (*f)(const lic_license *, T *)) const {
        T value{};
        detail::check(f(handle_.get(), &value));
        return value;
    }
    static std::optional<lic_date> optional(lic_date d) {
        if (d.year == 0) return std::nullopt;
        return d;
    }
    detail::Owned<lic_license, lic_license_free> handle_;
};

/// Verifies license codes for one installation; safe to share across threads.
class Verifier {
public:
    explicit Verifier(const VerifierConfig &config) {
        lic_verifier *v = nullptr;
        detail::check(lic_verifier_new(config.get(), &v));
        handle_.reset(v);
    }
    License verify_text(std::string_view text) const {
        lic_license *l = nullptr;
        detail::check(lic_verifier_verify_text(handle_.get(), detail::chars(text), text.size(), &l));
        return License(l);
    }
    License verify_text_at(std::string_view text, int64_t now_unix) const {
        lic_license *l = nullptr;
        detail::check(
            lic_verifier_verify_text_at(handle_.get(), detail::chars(text), text.size(), now_unix, &l));
        return License(l);
    }
    License verify_file(std::string_view path) const {
        lic_license *l = nullptr;
        detail::check(lic_verifier_verify_file(handle_.get(), detail::chars(path), path.size(), &l));
        return License(l);
    }
    License verify_file_at(std::string_view path, int64_t now_unix) const {
        lic_license *l = nullptr;
        detail::check(
            lic_verifier_verify_file_at(handle_.get(), detail::chars(path), path.size(), now_unix, &l));
        return License(l);
    }
    lic_revocation_info ingest_revocation_list(const std::vector<uint8_t> &list) const {
        lic_revocation_info info{};
        // An empty vector's data() may be NULL; the library reads no byte of an empty
        // list, but refuses NULL, so pass a valid pointer and let it say the list is invalid.
        static const uint8_t none = 0;
        const uint8_t *bytes = list.empty() ? &none : list.data();
        detail::check(lic_verifier_ingest_revocation_list(handle_.get(), bytes, list.size(), &info));
        return info;
    }
    lic_revocation_info ingest_revocation_file(std::string_view path) const {
        lic_revocation_info info{};
        detail::check(
            lic_verifier_ingest_revocation_file(handle_.get(), detail::chars(path), path.size(), &info));
        return info;
    }
    lic_revocation_info ingest_revocation_file_at(std::string_view path, int64_t now_unix) const {
        lic_revocation_info info{};
        detail::check(lic_verifier_ingest_revocation_file_at(handle_.get(), detail::chars(path), path.size(),
                                                             now_unix, &info));
        return info;
    }
    lic_revocation_info ingest_revocation_list_at(const uint8_t *list, size_t len, int64_t now_unix) const {
        lic_revocation_info info{};
        detail::check(lic_verifier_ingest_revocation_list_at(handle_.get(), list, len, now_unix, &info));
        return info;
    }
    std::optional<lic_revocation_info> revocation_list() const {
        bool installed = false;
        lic_revocation_info info{};
        detail::check(lic_verifier_revocation_list(handle_.get(), &installed, &info));
        if (!installed) return std::nullopt;
        return info;
    }
    void check_clock() const { detail::check(lic_verifier_check_clock(handle_.get())); }
    void check_clock_at(int64_t now_unix) const {
        detail::check(lic_verifier_check_clock_at(handle_.get(), now_unix));
    }
    void flush_state() const { detail::check(lic_verifier_flush_state(handle_.get())); }
    void reset_state() const { detail::check(lic_verifier_reset_state(handle_.get())); }
    void reset_state_at(int64_t now_unix) const {
        detail::check(lic_verifier_reset_state_at(handle_.get(), now_unix));
    }
    const lic_verifier *get() const noexcept { return handle_.get(); }

private:
    detail::Owned<lic_verifier, lic_verifier_free> handle_;
};

/// One holder in a SeatSnapshot.
struct SeatHolder {
    std::string holder;
    uint64_t since_ms;
    uint64_t expires_ms;
};

/// A pool's usage at one moment.
struct SeatSnapshot {
    uint32_t in_use;
    uint32_t limit;  ///< LIC_UNLIMITED when not limited
    uint32_t peak;
    std::vector<SeatHolder> holders;
};

/// Concurrent seats with leases; safe to share across threads.
class SeatPool {
public:
    SeatPool(uint32_t seats, uint32_t lease_secs) {
        lic_seat_pool *p = nullptr;
        detail::check(lic_seat_pool_new(seats, lease_secs, &p));
        handle_.reset(p);
    }
    static SeatPool for_license(const License &license, uint32_t lease_secs) {
        lic_seat_pool *p = nullptr;
        detail::check(lic_seat_pool_new_for_license(license.get(), lease_secs, &p));
        return SeatPool(p);
    }
    lic_lease acquire(std::string_view holder) const {
        lic_lease lease{};
        detail::check(lic_seat_pool_acquire(handle_.get(), detail::chars(holder), holder.size(), &lease));
        return lease;
    }
    lic_lease acquire_at(std::string_view holder, uint64_t now_ms) const {
        lic_lease lease{};
        detail::check(
            lic_seat_pool_acquire_at(handle_.get(), detail::chars(holder), holder.size(), now_ms, &lease));
        return lease;
    }
    lic_lease heartbeat(std::string_view holder) const {
        lic_lease lease{};
        detail::check(lic_seat_pool_heartbeat(handle_.get(), detail::chars(holder), holder.size(), &lease));
        return lease;
    }
    lic_lease heartbeat_at(std::string_view holder, uint64_t now_ms) const {
        lic_lease lease{};
        detail::check(lic_seat_pool_heartbeat_at(handle_.get(), detail::chars(holder), holder.size(),
                                                 now_ms, &lease));
        return lease;
    }
    /// Whether the holder had a seat.
    bool release(std::string_view holder) const {
        bool held = false;
        detail::check(lic_seat_pool_release(handle_.get(), detail::chars(holder), holder.size(), &held));
        return held;
    }
    /// Seats taken back: the newest holders beyond the new limit lose theirs.
    uint32_t set_limit(uint32_t seats) const {
        uint32_t over = 0;
        detail::check(lic_seat_pool_set_limit(handle_.get(), seats, &over));
        return over;
    }
    SeatSnapshot snapshot() const {
        lic_seat_snapshot *s = nullptr;
        detail::check(lic_seat_pool_snapshot(handle_.get(), &s));
        return read(s);
    }
    SeatSnapshot snapshot_at(uint64_t now_ms) const {
        lic_seat_snapshot *s = nullptr;
        detail::check(lic_seat_pool_snapshot_at(handle_.get(), now_ms, &s));
        return read(s);
    }

private:
    explicit SeatPool(lic_seat_pool *p) : handle_(p) {}
    static SeatSnapshot read(lic_seat_snapshot *raw) {
        detail::Owned<lic_seat_snapshot, lic_seat_snapshot_free> s(raw);
        SeatSnapshot out{};
        detail::check(lic_seat_snapshot_usage(s.get(), &out.in_use, &out.limit, &out.peak));
        for (size_t i = 0; i < out.in_use; i++) {
            SeatHolder h{};
            h.holder = detail::text([&](char *buf, size_t n, size_t *len) {
                return lic_seat_snapshot_holder(s.get(), i, buf, n, len, &h.since_ms, &h.expires_ms);
            });
            out.holders.push_back(std::move(h));
        }
        return out;
    }
    detail::Owned<lic_seat_pool, lic_seat_pool_free> handle_;
};

}  // namespace lic

#endif  // LICENSE_FFI_HPP
