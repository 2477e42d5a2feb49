using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace LicenseKit
{
    /// <summary>A failed call: the result code (a named <see cref="ResultCode"/>) and the library's detailed message.</summary>
    [Serializable]
    public class LicenseException : Exception
    {
        /// <summary>The result code; <see cref="ResultCode.Unknown"/> for a number this binding does not know.</summary>
        public ResultCode Code { get; }

        /// <summary>The number the C library returned.</summary>
        public uint Number { get; }

        /// <summary>The C name, e.g. LIC_RESULT_TYPO (null for an unknown number).</summary>
        public string CName => LicenseLibrary.ResultName(Number);

        internal LicenseException(uint number, string message) : base(message)
        {
            Number = number;
            Code = Enum.IsDefined(typeof(ResultCode), number) ? (ResultCode)number : ResultCode.Unknown;
        }
    }

    /// <summary>Where a license stands on the day it was verified (lic_status).</summary>
    public enum Status : uint
    {
        /// <summary>Before its first valid day.</summary>
        NotYetValid = 1,
        /// <summary>Valid, not about to expire (or perpetual).</summary>
        Valid = 2,
        /// <summary>Valid, expiring within the notice window.</summary>
        ExpiringSoon = 3,
        /// <summary>Expired, in the grace period: fully usable.</summary>
        InGrace = 4,
        /// <summary>Expired and past grace: only the demo seat count.</summary>
        DemoMode = 5,
        /// <summary>Expired and past grace, no demo mode.</summary>
        Expired = 6,
        /// <summary>An interim code replaced by its successor.</summary>
        Replaced = 7,
    }

    /// <summary>The kind of license (lic_kind).</summary>
    public enum Kind : uint
    {
        /// <summary>Perpetual.</summary>
        Full = 0,
        /// <summary>Trial or demo.</summary>
        Trial = 1,
        /// <summary>Subscription.</summary>
        Subscription = 2,
        /// <summary>Not for resale.</summary>
        Nfr = 3,
    }

    /// <summary>A component of a machine fingerprint (lic_component).</summary>
    public enum Component : uint
    {
        /// <summary>The operating system's install id.</summary>
        OsInstallId = 0,
        /// <summary>The hardware UUID.</summary>
        HardwareUuid = 1,
        /// <summary>The CPU: brand string and core count.</summary>
        Cpu = 2,
        /// <summary>The network adapters' MAC addresses (use AddMac).</summary>
        Network = 3,
        /// <summary>The root file system's id.</summary>
        RootFileSystem = 4,
        /// <summary>The main board's serial number.</summary>
        BoardSerial = 5,
    }

    /// <summary>How important a diagnostic line is (lic_log_level).</summary>
    public enum LogLevel : uint
    {
        /// <summary>Reserved.</summary>
        Error = 1,
        /// <summary>Needs the administrator.</summary>
        Warn = 2,
        /// <summary>A decision.</summary>
        Info = 3,
        /// <summary>Details.</summary>
        Debug = 4,
    }

    /// <summary>Plain words for a status.</summary>
    public static class StatusWords
    {
        /// <summary>The status in plain words, for the user.</summary>
        public static string Words(this Status s)
        {
            switch (s)
            {
                case Status.NotYetValid: return "not yet valid";
                case Status.Valid: return "valid";
                case Status.ExpiringSoon: return "valid, expiring soon";
                case Status.InGrace: return "expired, in the grace period";
                case Status.DemoMode: return "expired: demo mode";
                case Status.Expired: return "expired";
                default: return "replaced by its successor";
            }
        }
    }

    /// <summary>A calendar day (UTC).</summary>
    public struct Date : IEquatable<Date>
    {
        /// <summary>The year.</summary>
        public readonly int Year;
        /// <summary>The month, 1 to 12.</summary>
        public readonly int Month;
        /// <summary>The day of the month, 1 to 31.</summary>
        public readonly int Day;

        /// <summary>A day.</summary>
        public Date(int year, int month, int day) { Year = year; Month = month; Day = day; }

        internal CDate ToC() => new CDate { Year = (ushort)Year, Month = (byte)Month, Day = (byte)Day };

        internal static Date? FromC(CDate d) => d.Year == 0 ? (Date?)null : new Date(d.Year, d.Month, d.Day);

        /// <inheritdoc/>
        public bool Equals(Date o) => Year == o.Year && Month == o.Month && Day == o.Day;

        /// <inheritdoc/>
        public override bool Equals(object o) => o is Date d && Equals(d);

        /// <inheritdoc/>
        public override int GetHashCode() => (Year * 13 + Month) * 32 + Day;

        /// <summary>YYYY-MM-DD.</summary>
        public override string ToString() => $"{Year:D4}-{Month:D2}-{Day:D2}";
    }

    /// <summary>The installed revocation list.</summary>
    public sealed class RevocationInfo
    {
        /// <summary>Sequence (see the C header).</summary>
        public ulong Sequence;
        /// <summary>Issued (see the C header).</summary>
        public Date? Issued;
        /// <summary>Expires (see the C header).</summary>
        public Date? Expires;
        /// <summary>Entries (see the C header).</summary>
        public ulong Entries;

        internal static RevocationInfo Of(CRevocationInfo c) => new RevocationInfo
        { Sequence = c.Sequence, Issued = Date.FromC(c.Issued), Expires = Date.FromC(c.Expires), Entries = c.Entries };
    }

    /// <summary>A seat held from a seat server.</summary>
    public sealed class SeatLease
    {
        /// <summary>ExpiresUnixMs (see the C header).</summary>
        public long ExpiresUnixMs;
        /// <summary>TtlSecs (see the C header).</summary>
        public long TtlSecs;
        /// <summary>InUse (see the C header).</summary>
        public uint InUse;
        /// <summary>Limit (see the C header).</summary>
        public uint Limit;
        /// <summary>Borrowed (see the C header).</summary>
        public bool Borrowed;
        /// <summary>ServerUnreachable (see the C header).</summary>
        public bool ServerUnreachable;

        internal static SeatLease Of(CSeatLease c) => new SeatLease
        {
            ExpiresUnixMs = c.ExpiresUnixMs, TtlSecs = c.TtlSecs, InUse = c.InUse, Limit = c.Limit,
            Borrowed = c.Borrowed != 0, ServerUnreachable = c.ServerUnreachable != 0,
        };
    }

    /// <summary>A seat granted or renewed by a local <see cref="SeatPool"/>.</summary>
    public sealed class PoolLease
    {
        /// <summary>ExpiresMs (see the C header).</summary>
        public ulong ExpiresMs;
        /// <summary>InUse (see the C header).</summary>
        public uint InUse;
        /// <summary>Renewed (see the C header).</summary>
        public bool Renewed;

        internal static PoolLease Of(CLease c) => new PoolLease { ExpiresMs = c.ExpiresMs, InUse = c.InUse, Renewed = c.Renewed != 0 };
    }

    /// <summary>One holder of a <see cref="SeatSnapshot"/>.</summary>
    public sealed class SeatHolder
    {
        /// <summary>Holder (see the C header).</summary>
        public string Holder;
        /// <summary>SinceMs (see the C header).</summary>
        public ulong SinceMs;
        /// <summary>ExpiresMs (see the C header).</summary>
        public ulong ExpiresMs;
    }

    /// <summary>Library-wide calls and the calling conventions.</summary>
    public static class LicenseLibrary
    {
        /// <summary>LIC_UNLIMITED: a count that is not limited.</summary>
        public const uint Unlimited = uint.MaxValue;

        private const uint BufferTooSmall = 3;
        private static readonly Encoding Utf8 = new UTF8Encoding(false);

        internal static byte[] Text(string s) => Utf8.GetBytes(s);

        internal static UIntPtr Len(byte[] b) => (UIntPtr)(uint)b.Length;

        internal delegate uint TextOutFn(byte[] buf, UIntPtr bufLen, out UIntPtr outLen);

        internal static string TextOut(TextOutFn f, int size = 256)
        {
            var buf = new byte[size];
            uint r = f(buf, Len(buf), out UIntPtr n);
            if (r == BufferTooSmall)
            {
                buf = new byte[(int)(ulong)n + 1];
                r = f(buf, Len(buf), out n);
            }
            Check(r);
            return Utf8.GetString(buf, 0, (int)(ulong)n);
        }

        internal static string LastError()
        {
            var buf = new byte[512];
            uint r = Native.lic_last_error_message(buf, Len(buf), out UIntPtr n);
            if (r == BufferTooSmall)
            {
                buf = new byte[(int)(ulong)n + 1];
                r = Native.lic_last_error_message(buf, Len(buf), out n);
            }
            return r == 0 ? Utf8.GetString(buf, 0, (int)(ulong)n) : "";
        }

        internal static LicenseException Error(uint code)
        {
            string message = LastError();
            return new LicenseException(code, message.Length > 0 ? message : ResultMessage(code));
        }

        internal static void Check(uint code)
        {
            if (code != 0) throw Error(code);
        }

        private static string Static(IntPtr p) => p == IntPtr.Zero ? null : Marshal.PtrToStringAnsi(p);

        /// <summary>The C library's version, e.g. "0.1.0".</summary>
        public static string Version() => Static(Native.lic_version());

        /// <summary>The C name of a result code (LIC_RESULT_TYPO), or null for an unknown number.</summary>
        public static string ResultName(uint code) => Static(Native.lic_result_name(code));

        /// <summary>The fixed English sentence for a result code ("" for an unknown number).</summary>
        public static string ResultMessage(uint code)
        {
            var buf = new byte[256];
            uint r = Native.lic_result_message(code, buf, Len(buf), out UIntPtr n);
            if (r == BufferTooSmall)
            {
                buf = new byte[(int)(ulong)n + 1];
                r = Native.lic_result_message(code, buf, Len(buf), out n);
            }
            return r == 0 ? Utf8.GetString(buf, 0, (int)(ulong)n) : "";
        }

        /// <summary>For tests only: handles the C library has made and not freed, in this process.</summary>
        public static ulong LiveHandles() => (ulong)Native.lic_debug_live_handles();

        /// <summary>A new database code for this installation (create it once, store it, show it).</summary>
        public static string DatabaseCodeNew() => TextOut(Native.lic_database_code_new, 32);

        /// <summary>The canonical form of a database code as typed.</summary>
        public static string DatabaseCodeNormalize(string text)
        {
            var t = Text(text);
            return TextOut((byte[] b, UIntPtr c, out UIntPtr o) => Native.lic_database_code_normalize(t, Len(t), b, c, out o), 32);
        }

#pragma warning disable 414 // written only: it keeps the delegate alive while C holds it
        private static DiagnosticFn diagnostics;
#pragma warning restore 414
        private static readonly object DiagnosticsLock = new object();

        /// <summary>
        /// Deliver the library's diagnostic lines up to maxLevel to callback, for the whole
        /// process; null stops them. Exceptions thrown by the callback are dropped.
        /// </summary>
        public static void SetDiagnosticCallback(Action<LogLevel, string> callback, LogLevel maxLevel = LogLevel.Info)
        {
            lock (DiagnosticsLock)
            {
                if (callback == null)
                {
                    Check(Native.lic_set_diagnostic_callback(null, IntPtr.Zero, (uint)maxLevel));
                    diagnostics = null;
                    return;
                }
                DiagnosticFn fn = (user, level, message, len) =>
                {
                    try
                    {
                        var bytes = new byte[(int)(ulong)len];
                        Marshal.Copy(message, bytes, 0, bytes.Length);
                        callback((LogLevel)level, Utf8.GetString(bytes));
                    }
                    catch (Exception)
                    {
                        // never unwind into C
                    }
                };
                Check(Native.lic_set_diagnostic_callback(fn, IntPtr.Zero, (uint)maxLevel));
                diagnostics = fn;
            }
        }
    }

    /// <summary>Base of the handle classes: IDisposable over a SafeHandle.</summary>
    public abstract class NativeObject<THandle> : IDisposable where THandle : LicHandle
    {
        internal readonly THandle H;

        internal NativeObject(THandle h) { H = h; }

        internal THandle Live
        {
            get
            {
                if (H.IsClosed) throw new ObjectDisposedException(GetType().Name);
                return H;
            }
        }

        /// <summary>Free the C handle now (the SafeHandle also frees it when finalized).</summary>
        public void Dispose() => H.Dispose();
    }

    /// <summary>A machine fingerprint. Not thread-safe while being filled.</summary>
    public sealed class Fingerprint : NativeObject<FingerprintHandle>
    {
        private Fingerprint(FingerprintHandle h) : base(h) { }

        /// <summary>An empty fingerprint hashed with appKey (by default, the product id), for the host to fill.</summary>
        public static Fingerprint Create(byte[] appKey)
        {
            LicenseLibrary.Check(Native.lic_fingerprint_new(appKey, LicenseLibrary.Len(appKey), out var h));
            return new Fingerprint(h);
        }

        /// <summary>This machine's fingerprint hashed with appKey.</summary>
        public static Fingerprint Collect(byte[] appKey)
        {
            LicenseLibrary.Check(Native.lic_fingerprint_collect(appKey, LicenseLibrary.Len(appKey), out var h));
            return new Fingerprint(h);
        }

        /// <summary>Add a raw component value; false if it carries no information.</summary>
        public bool AddComponent(Component component, string value)
        {
            var v = LicenseLibrary.Text(value);
            LicenseLibrary.Check(Native.lic_fingerprint_add_component(Live, (uint)component, v, LicenseLibrary.Len(v), out byte added));
            return added != 0;
        }

        /// <summary>Add a network adapter's 6-byte MAC; false if left out.</summary>
        public bool AddMac(byte[] mac)
        {
            LicenseLibrary.Check(Native.lic_fingerprint_add_mac(Live, mac, LicenseLibrary.Len(mac), out byte added));
            return added != 0;
        }

        /// <summary>The components with at least one digest.</summary>
        public ISet<Component> KnownComponents()
        {
            LicenseLibrary.Check(Native.lic_fingerprint_known_components(Live, out uint mask));
            var set = new HashSet<Component>();
            foreach (Component c in Enum.GetValues(typeof(Component)))
                if ((mask >> (int)c & 1) != 0) set.Add(c);
            return set;
        }

        /// <summary>The printable fingerprint the customer sends to the vendor.</summary>
        public string Print(uint tolerance = 1) =>
            LicenseLibrary.TextOut((byte[] b, UIntPtr c, out UIntPtr o) => Native.lic_fingerprint_print(Live, tolerance, b, c, out o), 64);

        /// <summary>A report in plain words for support.</summary>
        public string Describe(uint tolerance = 1) =>
            LicenseLibrary.TextOut((byte[] b, UIntPtr c, out UIntPtr o) => Native.lic_fingerprint_describe(Live, tolerance, b, c, out o), 2048);
    }

    /// <summary>What a <see cref="Verifier"/> is built from. Not thread-safe. Setters return this.</summary>
    public sealed class VerifierConfig : NativeObject<ConfigHandle>
    {
        private VerifierConfig(ConfigHandle h) : base(h) { }

        /// <summary>A configuration for product and the build date of this release.</summary>
        public static VerifierConfig Create(string product, Date buildDate)
        {
            var p = LicenseLibrary.Text(product);
            LicenseLibrary.Check(Native.lic_verifier_config_new(p, LicenseLibrary.Len(p), buildDate.ToC(), out var h));
            return new VerifierConfig(h);
        }

        /// <summary>Add a vendor public key (32 bytes).</summary>
        public VerifierConfig AddKey(byte[] key) { LicenseLibrary.Check(Native.lic_verifier_config_add_key(Live, key, LicenseLibrary.Len(key))); return this; }

        /// <summary>Set the licensee.</summary>
        public VerifierConfig SetLicensee(string s) { var t = LicenseLibrary.Text(s); LicenseLibrary.Check(Native.lic_verifier_config_set_licensee(Live, t, LicenseLibrary.Len(t))); return this; }

        /// <summary>Set the installation's database code.</summary>
        public VerifierConfig SetDatabase(string s) { var t = LicenseLibrary.Text(s); LicenseLibrary.Check(Native.lic_verifier_config_set_database(Live, t, LicenseLibrary.Len(t))); return this; }

        /// <summary>Use this fingerprint for machine-bound codes (copied).</summary>
        public VerifierConfig SetFingerprint(Fingerprint fp) { LicenseLibrary.Check(Native.lic_verifier_config_set_fingerprint(Live, fp.Live)); return this; }

        /// <summary>Collect this machine's fingerprint with appKey.</summary>
        public VerifierConfig SetFingerprintAppKey(byte[] appKey) { LicenseLibrary.Check(Native.lic_verifier_config_set_fingerprint_app_key(Live, appKey, LicenseLibrary.Len(appKey))); return this; }

        /// <summary>Name the next module (0, 1, ... as in the vendor's catalog).</summary>
        public VerifierConfig AddModule(string name) { var t = LicenseLibrary.Text(name); LicenseLibrary.Check(Native.lic_verifier_config_add_module(Live, t, LicenseLibrary.Len(t))); return this; }

        /// <summary>Name the next product line (0, 1, ... as in the vendor's catalog, at most 16); License.LineName and License.Describe use them.</summary>
        public VerifierConfig AddLine(string name) { var t = LicenseLibrary.Text(name); LicenseLibrary.Check(Native.lic_verifier_config_add_line(Live, t, LicenseLibrary.Len(t))); return this; }

        /// <summary>Tolerate a bound machine component this process merely cannot read (root-only sources such as the hardware UUID under a service user); the majority of all bound components must still match. Once per component.</summary>
        public VerifierConfig TolerateUnreadable(Component component) { LicenseLibrary.Check(Native.lic_verifier_config_tolerate_unreadable(Live, (uint)component)); return this; }

        /// <summary>Keep the guards in a state file protected with secret (16 bytes or more).</summary>
        public VerifierConfig SetStateFile(string path, byte[] secret)
        {
            var t = LicenseLibrary.Text(path);
            LicenseLibrary.Check(Native.lic_verifier_config_set_state_file(Live, t, LicenseLibrary.Len(t), secret, LicenseLibrary.Len(secret)));
            return this;
        }

        /// <summary>Days before expiry from which the status is ExpiringSoon.</summary>
        public VerifierConfig SetNoticeDays(ushort days) { LicenseLibrary.Check(Native.lic_verifier_config_set_notice_days(Live, days)); return this; }

        /// <summary>Seconds the clock may be behind the latest time seen.</summary>
        public VerifierConfig SetClockTolerance(uint seconds) { LicenseLibrary.Check(Native.lic_verifier_config_set_clock_tolerance(Live, seconds)); return this; }
    }

    /// <summary>Verifies license codes for one installation; thread-safe. nowUnix: Unix seconds (UTC); null reads the clock.</summary>
    public sealed class Verifier : NativeObject<VerifierHandle>
    {
        private Verifier(VerifierHandle h) : base(h) { }

        /// <summary>A verifier built from config (which must still be disposed).</summary>
        public static Verifier Create(VerifierConfig config)
        {
            LicenseLibrary.Check(Native.lic_verifier_new(config.Live, out var h));
            return new Verifier(h);
        }

        /// <summary>Verify a code as the customer pasted it.</summary>
        public License VerifyText(string code, long? nowUnix = null)
        {
            var t = LicenseLibrary.Text(code);
            uint r = nowUnix.HasValue
                ? Native.lic_verifier_verify_text_at(Live, t, LicenseLibrary.Len(t), nowUnix.Value, out var h)
                : Native.lic_verifier_verify_text(Live, t, LicenseLibrary.Len(t), out h);
            if (r != 0) { h.Dispose(); throw LicenseLibrary.Error(r); }
            return new License(h);
        }

        /// <summary>Verify the code stored in a text file.</summary>
        public License VerifyFile(string path, long? nowUnix = null)
        {
            var t = LicenseLibrary.Text(path);
            uint r = nowUnix.HasValue
                ? Native.lic_verifier_verify_file_at(Live, t, LicenseLibrary.Len(t), nowUnix.Value, out var h)
                : Native.lic_verifier_verify_file(Live, t, LicenseLibrary.Len(t), out h);
            if (r != 0) { h.Dispose(); throw LicenseLibrary.Error(r); }
            return new License(h);
        }

        /// <summary>Install a revocation list (its binary form).</summary>
        public RevocationInfo IngestRevocationList(byte[] list, long? nowUnix = null)
        {
            uint r = nowUnix.HasValue
                ? Native.lic_verifier_ingest_revocation_list_at(Live, list, LicenseLibrary.Len(list), nowUnix.Value, out var info)
                : Native.lic_verifier_ingest_revocation_list(Live, list, LicenseLibrary.Len(list), out info);
            LicenseLibrary.Check(r);
            return RevocationInfo.Of(info);
        }

        /// <summary>Install the revocation list stored in a file.</summary>
        public RevocationInfo IngestRevocationFile(string path, long? nowUnix = null)
        {
            var t = LicenseLibrary.Text(path);
            uint r = nowUnix.HasValue
                ? Native.lic_verifier_ingest_revocation_file_at(Live, t, LicenseLibrary.Len(t), nowUnix.Value, out var info)
                : Native.lic_verifier_ingest_revocation_file(Live, t, LicenseLibrary.Len(t), out info);
            LicenseLibrary.Check(r);
            return RevocationInfo.Of(info);
        }

        /// <summary>The installed revocation list, or null.</summary>
        public RevocationInfo RevocationList()
        {
            var info = new CRevocationInfo();
            LicenseLibrary.Check(Native.lic_verifier_revocation_list(Live, out byte installed, ref info));
            return installed != 0 ? RevocationInfo.Of(info) : null;
        }

        /// <summary>Check the clock against the latest time seen.</summary>
        public void CheckClock(long? nowUnix = null) =>
            LicenseLibrary.Check(nowUnix.HasValue ? Native.lic_verifier_check_clock_at(Live, nowUnix.Value) : Native.lic_verifier_check_clock(Live));

        /// <summary>Write pending changes to the state file.</summary>
        public void FlushState() => LicenseLibrary.Check(Native.lic_verifier_flush_state(Live));

        /// <summary>For support only: start the guards afresh.</summary>
        public void ResetState(long? nowUnix = null) =>
            LicenseLibrary.Check(nowUnix.HasValue ? Native.lic_verifier_reset_state_at(Live, nowUnix.Value) : Native.lic_verifier_reset_state(Live));
    }

    /// <summary>A verified license: scope and status on the day verified. Immutable.</summary>
    public sealed class License : NativeObject<LicenseHandle>
    {
        internal License(LicenseHandle h) : base(h) { }

        private delegate uint U32(LicenseHandle l, out uint v);
        private delegate uint B(LicenseHandle l, out byte v);
        private delegate uint D(LicenseHandle l, out CDate v);

        private uint Get(U32 f) { LicenseLibrary.Check(f(Live, out uint v)); return v; }
        private bool Get(B f) { LicenseLibrary.Check(f(Live, out byte v)); return v != 0; }
        private Date? Get(D f) { LicenseLibrary.Check(f(Live, out CDate v)); return Date.FromC(v); }

        /// <summary>The status on the day of verification.</summary>
        public Status Status => (Status)Get(Native.lic_license_status);
        /// <summary>Days left in the current phase (Unlimited for a perpetual license).</summary>
        public uint DaysLeft => Get(Native.lic_license_days_left);
        /// <summary>Whether the application may run now.</summary>
        public bool IsUsable => Get((B)Native.lic_license_is_usable);
        /// <summary>Whether this verification was the first run of this installation: a state file is configured but none was found, so the guards started afresh. Expected once after installing; later it means the state file was deleted or moved (log it). Always false without a state file.</summary>
        public bool FirstRun => Get((B)Native.lic_license_first_run);
        /// <summary>Whether this release is covered by maintenance.</summary>
        public bool ReleaseCovered => Get((B)Native.lic_license_release_covered);
        /// <summary>Named users allowed now.</summary>
        public uint NamedUsers => Get(Native.lic_license_named_users);
        /// <summary>Concurrent seats allowed now.</summary>
        public uint ConcurrentSeats => Get(Native.lic_license_concurrent_seats);
        /// <summary>The product line (0-15).</summary>
        public int Line { get { LicenseLibrary.Check(Native.lic_license_line(Live, out byte v)); return v; } }
        /// <summary>The product line's name as configured with VerifierConfig.AddLine; "" when the line has no configured name (then use Line).</summary>
        public string LineName =>
            LicenseLibrary.TextOut((byte[] b, UIntPtr c, out UIntPtr o) => Native.lic_license_line_name(Live, b, c, out o), 64);
        /// <summary>Full, trial, subscription or NFR.</summary>
        public Kind Kind => (Kind)Get(Native.lic_license_kind);
        /// <summary>The license id.</summary>
        public uint Id => Get(Native.lic_license_id);
        /// <summary>The revision.</summary>
        public uint Revision => Get(Native.lic_license_revision);
        /// <summary>The day signed.</summary>
        public Date? Issued => Get((D)Native.lic_license_issued);
        /// <summary>The first valid day.</summary>
        public Date? ValidFrom => Get((D)Native.lic_license_valid_from);
        /// <summary>The first day no longer valid; null if perpetual.</summary>
        public Date? Expires => Get((D)Native.lic_license_expires);
        /// <summary>The end of maintenance; null if every release is covered.</summary>
        public Date? MaintenanceEnds => Get((D)Native.lic_license_maintenance_ends);
        /// <summary>The day verified for.</summary>
        public Date? Today => Get((D)Native.lic_license_today);
        /// <summary>The modules usable now, as a bit mask.</summary>
        public ulong Modules { get { LicenseLibrary.Check(Native.lic_license_modules(Live, out ulong v)); return v; } }

        /// <summary>Whether the named module may be used now (UnknownModule for a name not configured).</summary>
        public bool HasModule(string name)
        {
            var t = LicenseLibrary.Text(name);
            LicenseLibrary.Check(Native.lic_license_has_module(Live, t, LicenseLibrary.Len(t), out byte v));
            return v != 0;
        }

        /// <summary>A later revision already known: (revision, first day), or null.</summary>
        public Tuple<uint, Date?> PendingChange
        {
            get
            {
                uint rev = 0;
                var starts = new CDate();
                LicenseLibrary.Check(Native.lic_license_pending_change(Live, out byte pending, ref rev, ref starts));
                return pending != 0 ? Tuple.Create(rev, Date.FromC(starts)) : null;
            }
        }

        /// <summary>What the license grants, in plain words.</summary>
        public string Describe() =>
            LicenseLibrary.TextOut((byte[] b, UIntPtr c, out UIntPtr o) => Native.lic_license_describe(Live, b, c, out o), 1024);

        /// <summary>The reseller that issued it ("" and 0 for the vendor's own code).</summary>
        public Tuple<string, uint> Reseller
        {
            get
            {
                uint depth = 0;
                string name = LicenseLibrary.TextOut((byte[] b, UIntPtr c, out UIntPtr o) =>
                    Native.lic_license_reseller(Live, b, c, out o, out depth), 128);
                return Tuple.Create(name, depth);
            }
        }
    }

    /// <summary>A client of a seat server (with servers to fail over to, AddServer) for one holder;
    /// thread-safe, except SetIdentity, SetLeaseFile and AddServer, which must not run while
    /// another thread uses the client (set them up first); calls block (10 s at most).</summary>
    public sealed class SeatClient : NativeObject<SeatClientHandle>
    {
        private SeatClient(SeatClientHandle h) : base(h) { }

        /// <summary>A client accepting only leases signed by serverKey (32 bytes).</summary>
        public static SeatClient Create(string serverUrl, string product, string holder, byte[] serverKey)
        {
            byte[] u = LicenseLibrary.Text(serverUrl), p = LicenseLibrary.Text(product), h = LicenseLibrary.Text(holder);
            LicenseLibrary.Check(Native.lic_seat_client_new(u, LicenseLibrary.Len(u), p, LicenseLibrary.Len(p), h, LicenseLibrary.Len(h), serverKey, LicenseLibrary.Len(serverKey), out var c));
            return new SeatClient(c);
        }

        /// <summary>A client accepting only the seat server the verified code names.</summary>
        public static SeatClient ForLicense(string serverUrl, string product, string holder, License license)
        {
            byte[] u = LicenseLibrary.Text(serverUrl), p = LicenseLibrary.Text(product), h = LicenseLibrary.Text(holder);
            LicenseLibrary.Check(Native.lic_seat_client_new_for_license(u, LicenseLibrary.Len(u), p, LicenseLibrary.Len(p), h, LicenseLibrary.Len(h), license.Live, out var c));
            return new SeatClient(c);
        }

        /// <summary>Name the user and the machine.</summary>
        public void SetIdentity(string user, string machine)
        {
            byte[] u = LicenseLibrary.Text(user), m = LicenseLibrary.Text(machine);
            LicenseLibrary.Check(Native.lic_seat_client_set_identity(Live, u, LicenseLibrary.Len(u), m, LicenseLibrary.Len(m)));
        }

        /// <summary>Add a server to fail over to, after the first one and those added before: when
        /// the current server cannot be reached, the others are tried in order and the one that
        /// answers becomes the current one. The servers of one list serve one license (one server
        /// key).</summary>
        public void AddServer(string serverUrl)
        {
            byte[] u = LicenseLibrary.Text(serverUrl);
            LicenseLibrary.Check(Native.lic_seat_client_add_server(Live, u, LicenseLibrary.Len(u)));
        }

        /// <summary>Keep the holder key and the lease in this file (0600), so that a restarted
        /// process proves it still holds its seat (the seat server's holder proof).</summary>
        public void SetLeaseFile(string path)
        {
            byte[] p = LicenseLibrary.Text(path);
            LicenseLibrary.Check(Native.lic_seat_client_set_lease_file(Live, p, LicenseLibrary.Len(p)));
        }

        /// <summary>Take a seat (0: the server's default TTL).</summary>
        public SeatLease Acquire(uint ttlSecs = 0) { LicenseLibrary.Check(Native.lic_seat_client_acquire(Live, ttlSecs, out var l)); return SeatLease.Of(l); }

        /// <summary>Borrow a seat for days.</summary>
        public SeatLease Borrow(uint days) { LicenseLibrary.Check(Native.lic_seat_client_borrow(Live, days, out var l)); return SeatLease.Of(l); }

        /// <summary>Renew the lease.</summary>
        public SeatLease Heartbeat() { LicenseLibrary.Check(Native.lic_seat_client_heartbeat(Live, out var l)); return SeatLease.Of(l); }

        /// <summary>Give the seat back.</summary>
        public bool Release() { LicenseLibrary.Check(Native.lic_seat_client_release(Live, out byte v)); return v != 0; }

        /// <summary>Whether a seat is held.</summary>
        public bool HoldsSeat { get { LicenseLibrary.Check(Native.lic_seat_client_holds_seat(Live, out byte v)); return v != 0; } }

        /// <summary>The lease token to keep for a borrowed seat.</summary>
        public string Token() => LicenseLibrary.TextOut((byte[] b, UIntPtr c, out UIntPtr o) => Native.lic_seat_client_token(Live, b, c, out o), 1024);

        /// <summary>Take over a token kept from an earlier run.</summary>
        public SeatLease AdoptToken(string token)
        {
            var t = LicenseLibrary.Text(token);
            LicenseLibrary.Check(Native.lic_seat_client_adopt_token(Live, t, LicenseLibrary.Len(t), out var l));
            return SeatLease.Of(l);
        }
    }

    /// <summary>A local pool of concurrent seats; thread-safe. nowMs: ms since the pool was created.</summary>
    public sealed class SeatPool : NativeObject<SeatPoolHandle>
    {
        private SeatPool(SeatPoolHandle h) : base(h) { }

        /// <summary>A pool of seats (Unlimited: not limited).</summary>
        public static SeatPool Create(uint seats, uint leaseSecs)
        {
            LicenseLibrary.Check(Native.lic_seat_pool_new(seats, leaseSecs, out var h));
            return new SeatPool(h);
        }

        /// <summary>A pool sized by the license's seats in effect now.</summary>
        public static SeatPool ForLicense(License license, uint leaseSecs)
        {
            LicenseLibrary.Check(Native.lic_seat_pool_new_for_license(license.Live, leaseSecs, out var h));
            return new SeatPool(h);
        }

        /// <summary>Take a seat for holder.</summary>
        public PoolLease Acquire(string holder, ulong? nowMs = null)
        {
            var t = LicenseLibrary.Text(holder);
            uint r = nowMs.HasValue ? Native.lic_seat_pool_acquire_at(Live, t, LicenseLibrary.Len(t), nowMs.Value, out var l)
                : Native.lic_seat_pool_acquire(Live, t, LicenseLibrary.Len(t), out l);
            LicenseLibrary.Check(r);
            return PoolLease.Of(l);
        }

        /// <summary>Renew holder's lease.</summary>
        public PoolLease Heartbeat(string holder, ulong? nowMs = null)
        {
            var t = LicenseLibrary.Text(holder);
            uint r = nowMs.HasValue ? Native.lic_seat_pool_heartbeat_at(Live, t, LicenseLibrary.Len(t), nowMs.Value, out var l)
                : Native.lic_seat_pool_heartbeat(Live, t, LicenseLibrary.Len(t), out l);
            LicenseLibrary.Check(r);
            return PoolLease.Of(l);
        }

        /// <summary>Free holder's seat; whether it held one.</summary>
        public bool Release(string holder)
        {
            var t = LicenseLibrary.Text(holder);
            LicenseLibrary.Check(Native.lic_seat_pool_release(Live, t, LicenseLibrary.Len(t), out byte v));
            return v != 0;
        }

        /// <summary>Change the number of seats; how many were taken back.</summary>
        public uint SetLimit(uint seats) { LicenseLibrary.Check(Native.lic_seat_pool_set_limit(Live, seats, out uint v)); return v; }

        /// <summary>The pool's usage.</summary>
        public SeatSnapshot Snapshot(ulong? nowMs = null)
        {
            uint r = nowMs.HasValue ? Native.lic_seat_pool_snapshot_at(Live, nowMs.Value, out var h) : Native.lic_seat_pool_snapshot(Live, out h);
            LicenseLibrary.Check(r);
            return new SeatSnapshot(h);
        }
    }

    /// <summary>A seat pool's usage at one moment. Immutable.</summary>
    public sealed class SeatSnapshot : NativeObject<SeatSnapshotHandle>
    {
        internal SeatSnapshot(SeatSnapshotHandle h) : base(h) { }

        /// <summary>(in use, limit, peak).</summary>
        public Tuple<uint, uint, uint> Usage()
        {
            LicenseLibrary.Check(Native.lic_seat_snapshot_usage(Live, out uint a, out uint b, out uint c));
            return Tuple.Create(a, b, c);
        }

        /// <summary>The holders, oldest seat first.</summary>
        public IList<SeatHolder> Holders()
        {
            var list = new List<SeatHolder>();
            uint n = Usage().Item1;
            for (uint i = 0; i < n; i++)
            {
                ulong since = 0, expires = 0;
                var index = (UIntPtr)i;
                string name = LicenseLibrary.TextOut((byte[] b, UIntPtr c, out UIntPtr o) =>
                    Native.lic_seat_snapshot_holder(Live, index, b, c, out o, out since, out expires), 128);
                list.Add(new SeatHolder { Holder = name, SinceMs = since, ExpiresMs = expires });
            }
            return list;
        }
    }
}
