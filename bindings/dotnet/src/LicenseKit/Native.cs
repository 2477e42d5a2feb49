using System;
using System.Runtime.InteropServices;

namespace LicenseKit
{
    /// <summary>lic_date.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct CDate
    {
        public ushort Year;
        public byte Month;
        public byte Day;
    }

    /// <summary>lic_seat_lease (C bool as byte: blittable).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct CSeatLease
    {
        public long ExpiresUnixMs;
        public long TtlSecs;
        public uint InUse;
        public uint Limit;
        public byte Borrowed;
        public byte ServerUnreachable;
    }

    /// <summary>lic_lease.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct CLease
    {
        public ulong ExpiresMs;
        public uint InUse;
        public byte Renewed;
    }

    /// <summary>lic_revocation_info.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct CRevocationInfo
    {
        public ulong Sequence;
        public CDate Issued;
        public CDate Expires;
        public ulong Entries;
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void DiagnosticFn(IntPtr userData, uint level, IntPtr message, UIntPtr len);

    /// <summary>Owns one C handle; SafeHandle's release (on Dispose or finalization) frees it.</summary>
    public abstract class LicHandle : SafeHandle
    {
        /// <summary>An empty handle, filled in by the P/Invoke marshaller.</summary>
        protected LicHandle() : base(IntPtr.Zero, true) { }

        /// <inheritdoc/>
        public override bool IsInvalid => handle == IntPtr.Zero;
    }

    /// <summary>The SafeHandle of one C handle type.</summary>
    public sealed class ConfigHandle : LicHandle
    {
        /// <inheritdoc/>
        protected override bool ReleaseHandle() { Native.lic_verifier_config_free(handle); return true; }
    }

    /// <summary>The SafeHandle of one C handle type.</summary>
    public sealed class VerifierHandle : LicHandle
    {
        /// <inheritdoc/>
        protected override bool ReleaseHandle() { Native.lic_verifier_free(handle); return true; }
    }

    /// <summary>The SafeHandle of one C handle type.</summary>
    public sealed class LicenseHandle : LicHandle
    {
        /// <inheritdoc/>
        protected override bool ReleaseHandle() { Native.lic_license_free(handle); return true; }
    }

    /// <summary>The SafeHandle of one C handle type.</summary>
    public sealed class FingerprintHandle : LicHandle
    {
        /// <inheritdoc/>
        protected override bool ReleaseHandle() { Native.lic_fingerprint_free(handle); return true; }
    }

    /// <summary>The SafeHandle of one C handle type.</summary>
    public sealed class SeatClientHandle : LicHandle
    {
        /// <inheritdoc/>
        protected override bool ReleaseHandle() { Native.lic_seat_client_free(handle); return true; }
    }

    /// <summary>The SafeHandle of one C handle type.</summary>
    public sealed class SeatPoolHandle : LicHandle
    {
        /// <inheritdoc/>
        protected override bool ReleaseHandle() { Native.lic_seat_pool_free(handle); return true; }
    }

    /// <summary>The SafeHandle of one C handle type.</summary>
    public sealed class SeatSnapshotHandle : LicHandle
    {
        /// <inheritdoc/>
        protected override bool ReleaseHandle() { Native.lic_seat_snapshot_free(handle); return true; }
    }

    /// <summary>
    /// The C functions of license-ffi. The library is "license_ffi": license_ffi.dll on
    /// Windows, liblicense_ffi.so on Linux (next to the application, under
    /// runtimes/&lt;rid&gt;/native/ for .NET, or on the library path).
    /// </summary>
    internal static class Native
    {
        private const string Lib = "license_ffi";
        private const CallingConvention C = CallingConvention.Cdecl;

        [DllImport(Lib, CallingConvention = C)] internal static extern IntPtr lic_version();
        [DllImport(Lib, CallingConvention = C)] internal static extern IntPtr lic_result_name(uint result);
        [DllImport(Lib, CallingConvention = C)] internal static extern IntPtr lic_status_name(uint status);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_result_message(uint result, byte[] buf, UIntPtr bufLen, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_last_error_message(byte[] buf, UIntPtr bufLen, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern UIntPtr lic_debug_live_handles();
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_set_diagnostic_callback(DiagnosticFn callback, IntPtr userData, uint maxLevel);

        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_config_new(byte[] product, UIntPtr len, CDate buildDate, out ConfigHandle config);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_config_add_key(ConfigHandle config, byte[] key, UIntPtr len);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_config_set_licensee(ConfigHandle config, byte[] s, UIntPtr len);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_config_set_database(ConfigHandle config, byte[] s, UIntPtr len);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_config_set_fingerprint(ConfigHandle config, FingerprintHandle fp);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_config_set_fingerprint_app_key(ConfigHandle config, byte[] key, UIntPtr len);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_config_add_module(ConfigHandle config, byte[] s, UIntPtr len);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_config_add_line(ConfigHandle config, byte[] s, UIntPtr len);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_config_tolerate_unreadable(ConfigHandle config, uint component);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_config_set_state_file(ConfigHandle config, byte[] path, UIntPtr pathLen, byte[] secret, UIntPtr secretLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_config_set_notice_days(ConfigHandle config, ushort days);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_config_set_clock_tolerance(ConfigHandle config, uint seconds);
        [DllImport(Lib, CallingConvention = C)] internal static extern void lic_verifier_config_free(IntPtr config);

        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_new(ConfigHandle config, out VerifierHandle verifier);
        [DllImport(Lib, CallingConvention = C)] internal static extern void lic_verifier_free(IntPtr verifier);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_verify_text(VerifierHandle v, byte[] text, UIntPtr len, out LicenseHandle license);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_verify_text_at(VerifierHandle v, byte[] text, UIntPtr len, long now, out LicenseHandle license);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_verify_file(VerifierHandle v, byte[] path, UIntPtr len, out LicenseHandle license);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_verify_file_at(VerifierHandle v, byte[] path, UIntPtr len, long now, out LicenseHandle license);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_ingest_revocation_list(VerifierHandle v, byte[] list, UIntPtr len, out CRevocationInfo info);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_ingest_revocation_list_at(VerifierHandle v, byte[] list, UIntPtr len, long now, out CRevocationInfo info);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_ingest_revocation_file(VerifierHandle v, byte[] path, UIntPtr len, out CRevocationInfo info);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_ingest_revocation_file_at(VerifierHandle v, byte[] path, UIntPtr len, long now, out CRevocationInfo info);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_revocation_list(VerifierHandle v, out byte installed, ref CRevocationInfo info);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_check_clock(VerifierHandle v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_check_clock_at(VerifierHandle v, long now);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_flush_state(VerifierHandle v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_reset_state(VerifierHandle v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_verifier_reset_state_at(VerifierHandle v, long now);

        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_status(LicenseHandle l, out uint v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_days_left(LicenseHandle l, out uint v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_is_usable(LicenseHandle l, out byte v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_first_run(LicenseHandle l, out byte v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_release_covered(LicenseHandle l, out byte v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_named_users(LicenseHandle l, out uint v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_concurrent_seats(LicenseHandle l, out uint v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_line(LicenseHandle l, out byte v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_kind(LicenseHandle l, out uint v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_id(LicenseHandle l, out uint v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_revision(LicenseHandle l, out uint v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_issued(LicenseHandle l, out CDate v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_valid_from(LicenseHandle l, out CDate v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_expires(LicenseHandle l, out CDate v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_maintenance_ends(LicenseHandle l, out CDate v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_today(LicenseHandle l, out CDate v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_modules(LicenseHandle l, out ulong v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_has_module(LicenseHandle l, byte[] name, UIntPtr len, out byte v);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_pending_change(LicenseHandle l, out byte pending, ref uint revision, ref CDate starts);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_describe(LicenseHandle l, byte[] buf, UIntPtr bufLen, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_line_name(LicenseHandle l, byte[] buf, UIntPtr bufLen, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_license_reseller(LicenseHandle l, byte[] buf, UIntPtr bufLen, out UIntPtr outLen, out uint depth);
        [DllImport(Lib, CallingConvention = C)] internal static extern void lic_license_free(IntPtr l);

        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_fingerprint_collect(byte[] key, UIntPtr len, out FingerprintHandle fp);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_fingerprint_new(byte[] key, UIntPtr len, out FingerprintHandle fp);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_fingerprint_add_component(FingerprintHandle fp, uint component, byte[] value, UIntPtr len, out byte added);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_fingerprint_add_mac(FingerprintHandle fp, byte[] mac, UIntPtr len, out byte added);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_fingerprint_known_components(FingerprintHandle fp, out uint mask);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_fingerprint_print(FingerprintHandle fp, uint tolerance, byte[] buf, UIntPtr bufLen, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_fingerprint_describe(FingerprintHandle fp, uint tolerance, byte[] buf, UIntPtr bufLen, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern void lic_fingerprint_free(IntPtr fp);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_database_code_new(byte[] buf, UIntPtr bufLen, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_database_code_normalize(byte[] text, UIntPtr len, byte[] buf, UIntPtr bufLen, out UIntPtr outLen);

        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_client_new(byte[] url, UIntPtr urlLen, byte[] product, UIntPtr productLen, byte[] holder, UIntPtr holderLen, byte[] key, UIntPtr keyLen, out SeatClientHandle client);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_client_new_for_license(byte[] url, UIntPtr urlLen, byte[] product, UIntPtr productLen, byte[] holder, UIntPtr holderLen, LicenseHandle license, out SeatClientHandle client);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_client_set_identity(SeatClientHandle c, byte[] user, UIntPtr userLen, byte[] machine, UIntPtr machineLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_client_set_lease_file(SeatClientHandle c, byte[] path, UIntPtr pathLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_client_add_server(SeatClientHandle c, byte[] url, UIntPtr urlLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern void lic_seat_client_free(IntPtr c);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_client_acquire(SeatClientHandle c, uint ttlSecs, out CSeatLease lease);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_client_borrow(SeatClientHandle c, uint days, out CSeatLease lease);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_client_heartbeat(SeatClientHandle c, out CSeatLease lease);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_client_release(SeatClientHandle c, out byte removed);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_client_holds_seat(SeatClientHandle c, out byte held);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_client_token(SeatClientHandle c, byte[] buf, UIntPtr cap, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_client_adopt_token(SeatClientHandle c, byte[] token, UIntPtr len, out CSeatLease lease);

        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_pool_new(uint seats, uint leaseSecs, out SeatPoolHandle pool);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_pool_new_for_license(LicenseHandle license, uint leaseSecs, out SeatPoolHandle pool);
        [DllImport(Lib, CallingConvention = C)] internal static extern void lic_seat_pool_free(IntPtr pool);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_pool_acquire(SeatPoolHandle p, byte[] holder, UIntPtr len, out CLease lease);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_pool_acquire_at(SeatPoolHandle p, byte[] holder, UIntPtr len, ulong nowMs, out CLease lease);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_pool_heartbeat(SeatPoolHandle p, byte[] holder, UIntPtr len, out CLease lease);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_pool_heartbeat_at(SeatPoolHandle p, byte[] holder, UIntPtr len, ulong nowMs, out CLease lease);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_pool_release(SeatPoolHandle p, byte[] holder, UIntPtr len, out byte held);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_pool_set_limit(SeatPoolHandle p, uint seats, out uint overLimit);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_pool_snapshot(SeatPoolHandle p, out SeatSnapshotHandle snapshot);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_pool_snapshot_at(SeatPoolHandle p, ulong nowMs, out SeatSnapshotHandle snapshot);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_snapshot_usage(SeatSnapshotHandle s, out uint inUse, out uint limit, out uint peak);
        [DllImport(Lib, CallingConvention = C)] internal static extern uint lic_seat_snapshot_holder(SeatSnapshotHandle s, UIntPtr index, byte[] buf, UIntPtr bufLen, out UIntPtr outLen, out ulong sinceMs, out ulong expiresMs);
        [DllImport(Lib, CallingConvention = C)] internal static extern void lic_seat_snapshot_free(IntPtr s);
    }
}
