using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Web.Script.Serialization;
using LicenseKit;
using NUnit.Framework;

namespace LicenseKit.Tests
{
    /// <summary>The C# binding against the golden vectors, the header's codes, the live-handle count and the nupkg.</summary>
    [TestFixture]
    public class LicenseKitTests
    {
        static readonly string Repo = Environment.GetEnvironmentVariable("LICENSE_KIT_REPO") ?? "../..";
        const string Product = "demo-erp";
        const string Licensee = "ACME Corp";
        static readonly Date Build = new Date(2026, 11, 1);
        static readonly long Now = Noon("2026-11-22");

        static long Noon(string day)
        {
            var d = DateTime.ParseExact(day, "yyyy-MM-dd", null);
            return (long)(d.AddHours(12) - new DateTime(1970, 1, 1)).TotalSeconds;
        }

        static Dictionary<string, object> Load(string name)
        {
            var s = new JavaScriptSerializer { MaxJsonLength = int.MaxValue };
            return (Dictionary<string, object>)s.DeserializeObject(File.ReadAllText(Path.Combine(Repo, "license-core/tests/vectors", name)));
        }

        static readonly Dictionary<string, object> V1 = Load("v1.json");
        static readonly Dictionary<string, object> V2 = Load("v2.json");
        static readonly Dictionary<string, object> Delegation = Load("v2-delegation.json");

        static Dictionary<string, object> Case(Dictionary<string, object> v, string name) =>
            ((object[])v["cases"]).Cast<Dictionary<string, object>>().First(c => (string)c["name"] == name);

        static byte[] Hex(object s)
        {
            var t = (string)s;
            var b = new byte[t.Length / 2];
            for (int i = 0; i < b.Length; i++) b[i] = Convert.ToByte(t.Substring(2 * i, 2), 16);
            return b;
        }

        static Fingerprint ReferenceMachine()
        {
            var raw = (Dictionary<string, object>)V1["reference_machine_raw"];
            var fp = Fingerprint.Create(Encoding.UTF8.GetBytes(Product));
            Assert.IsTrue(fp.AddComponent(Component.OsInstallId, (string)raw["os-install-id"]));
            Assert.IsTrue(fp.AddComponent(Component.HardwareUuid, (string)raw["hardware-uuid"]));
            Assert.IsTrue(fp.AddComponent(Component.Cpu, (string)raw["cpu"]));
            Assert.IsTrue(fp.AddMac(Hex(raw["network"])));
            return fp;
        }

        static Verifier MakeVerifier(string database, bool machine, Date build, object key)
        {
            using (var config = VerifierConfig.Create(Product, build))
            {
                config.AddKey(Hex(key)).SetLicensee(Licensee);
                foreach (var m in new[] { "crm", "budget", "planning", "bi" }) config.AddModule(m);
                if (database != null) config.SetDatabase(database);
                if (machine)
                    using (var fp = ReferenceMachine()) config.SetFingerprint(fp);
                return Verifier.Create(config);
            }
        }

        static Verifier Reference() => MakeVerifier(null, true, Build, V1["public_key"]);

        static LicenseException Refused(Verifier v, string code) =>
            Assert.Throws<LicenseException>(() => v.VerifyText(code, Now).Dispose());

        [Test]
        public void ValidReferenceCode()
        {
            var c = Case(V1, "reference");
            var want = (Dictionary<string, object>)c["license"];
            using (var v = Reference())
            using (var lic = v.VerifyText((string)c["code"], Now))
            {
                Assert.AreEqual(Status.Valid, lic.Status);
                Assert.AreEqual("valid", lic.Status.Words());
                Assert.IsTrue(lic.IsUsable);
                Assert.IsTrue(lic.ReleaseCovered);
                Assert.AreEqual(Kind.Subscription, lic.Kind);
                Assert.AreEqual((uint)(int)want["license_id"], lic.Id);
                Assert.AreEqual((uint)(int)want["named_users"], lic.NamedUsers);
                Assert.AreEqual((uint)(int)want["concurrent_seats"], lic.ConcurrentSeats);
                Assert.AreEqual((int)want["line"], lic.Line);
                Assert.AreEqual(want["expires"], lic.Expires.ToString());
                Assert.AreEqual(want["issued"], lic.Issued.ToString());
                Assert.AreEqual((ulong)(int)want["modules"], lic.Modules);
                Assert.IsTrue(lic.HasModule("bi"));
                Assert.AreEqual(ResultCode.UnknownModule, Assert.Throws<LicenseException>(() => lic.HasModule("crn")).Code);
                Assert.IsNull(lic.PendingChange);
                Assert.AreEqual(Tuple.Create("", 0u), lic.Reseller);
                Assert.AreEqual(365u, lic.DaysLeft);
                Assert.AreEqual("2026-11-22", lic.Today.ToString());
                Assert.Greater(lic.Describe().Length, 20);
            }
        }

        static Verifier ReferenceWithLines(params string[] lines)
        {
            using (var config = VerifierConfig.Create(Product, Build))
            {
                config.AddKey(Hex(V1["public_key"])).SetLicensee(Licensee);
                foreach (var line in lines) config.AddLine(line);
                using (var fp = ReferenceMachine()) config.SetFingerprint(fp);
                return Verifier.Create(config);
            }
        }

        [Test]
        public void LineNamesNameTheReferenceCodesLine()
        {
            var c = Case(V1, "reference");
            var code = (string)c["code"];
            Assert.AreEqual(1, (int)((Dictionary<string, object>)c["license"])["line"]);
            using (var v = ReferenceWithLines("standard", "expert"))
            using (var lic = v.VerifyText(code, Now))
            {
                Assert.AreEqual(1, lic.Line);
                Assert.AreEqual("expert", lic.LineName);
                StringAssert.Contains("product line expert", lic.Describe());
            }
            // Without names the line is only a number; a name for line 0 only leaves line 1 unnamed.
            using (var v = ReferenceWithLines())
            using (var lic = v.VerifyText(code, Now))
            {
                Assert.AreEqual(1, lic.Line);
                Assert.AreEqual("", lic.LineName);
            }
            using (var v = ReferenceWithLines("standard"))
            using (var lic = v.VerifyText(code, Now)) Assert.AreEqual("", lic.LineName);
            // At most 16 names.
            using (var config = VerifierConfig.Create(Product, Build))
            {
                for (int i = 0; i < 16; i++) config.AddLine("line-" + i);
                Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<LicenseException>(() => config.AddLine("one-too-many")).Code);
            }
        }

        [Test]
        public void TolerateUnreadableTakesComponentsNotOtherNumbers()
        {
            using (var config = VerifierConfig.Create(Product, Build))
            {
                config.AddKey(Hex(V1["public_key"])).SetLicensee(Licensee);
                Assert.AreSame(config, config.TolerateUnreadable(Component.HardwareUuid));
                config.TolerateUnreadable(Component.BoardSerial);
                Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<LicenseException>(() => config.TolerateUnreadable((Component)6)).Code);
                using (var fp = ReferenceMachine()) config.SetFingerprint(fp);
                // The reference machine still matches with the components tolerated.
                using (var v = Verifier.Create(config))
                using (var lic = v.VerifyText((string)Case(V1, "reference")["code"], Now)) Assert.IsTrue(lic.IsUsable);
            }
        }

        [Test]
        public void TypoNamesItsGroup()
        {
            var c = Case(V1, "typo");
            using (var v = Reference())
            {
                var e = Refused(v, (string)c["code"]);
                Assert.AreEqual(ResultCode.Typo, e.Code);
                Assert.AreEqual(104u, e.Number);
                Assert.AreEqual("LIC_RESULT_TYPO", e.CName);
                Assert.AreEqual(c["message"], e.Message);
            }
        }

        [Test]
        public void WrongDatabase()
        {
            var wrong = Case(V1, "wrong-database");
            var ctx = (Dictionary<string, object>)wrong["context"];
            using (var v = MakeVerifier((string)ctx["database"], false, Build, V1["public_key"]))
            {
                var e = Refused(v, (string)wrong["code"]);
                Assert.AreEqual(ResultCode.WrongDatabase, e.Code);
                Assert.AreEqual(wrong["message"], e.Message);
            }
            using (var v = MakeVerifier("db7f3a22c1", false, Build, V1["public_key"]))
            using (var lic = v.VerifyText((string)Case(V1, "perpetual-database")["code"], Now))
            {
                Assert.AreEqual(Kind.Full, lic.Kind);
                Assert.IsNull(lic.Expires);
                Assert.AreEqual(LicenseLibrary.Unlimited, lic.DaysLeft);
            }
        }

        static readonly Dictionary<string, Status> StatusOf = new Dictionary<string, Status>
        {
            ["not-yet-valid"] = Status.NotYetValid, ["valid"] = Status.Valid, ["expiring-soon"] = Status.ExpiringSoon,
            ["in-grace"] = Status.InGrace, ["demo-mode"] = Status.DemoMode, ["expired"] = Status.Expired,
            ["replaced"] = Status.Replaced,
        };

        [Test]
        public void StatusTableIncludingTheExpiredTrial()
        {
            var seen = new HashSet<Status>();
            foreach (Dictionary<string, object> table in (object[])V2["status"])
            {
                var c = Case(V2, (string)table["case"]);
                var ctx = (Dictionary<string, object>)c["context"];
                var issued = (string)((Dictionary<string, object>)c["license"])["issued"];
                foreach (Dictionary<string, object> day in (object[])table["days"])
                {
                    var b = DateTime.ParseExact((string)day["build_date"], "yyyy-MM-dd", null);
                    var today = (string)day["today"];
                    using (var v = MakeVerifier((string)ctx["database"], ctx["machine"] != null, new Date(b.Year, b.Month, b.Day), V2["public_key"]))
                    {
                        if (string.CompareOrdinal(today, issued) < 0)
                        {
                            var e = Assert.Throws<LicenseException>(() => v.VerifyText((string)c["code"], Noon(today)).Dispose());
                            Assert.AreEqual(ResultCode.ClockBeforeIssue, e.Code);
                            continue;
                        }
                        using (var lic = v.VerifyText((string)c["code"], Noon(today)))
                        {
                            var ev = (Dictionary<string, object>)day["evaluation"];
                            var want = (string)((Dictionary<string, object>)ev["status"])["status"];
                            Assert.AreEqual(StatusOf[want], lic.Status, table["case"] + " " + today);
                            Assert.AreEqual(day["usable"], lic.IsUsable);
                            seen.Add(lic.Status);
                        }
                    }
                }
            }
            Assert.IsTrue(seen.Contains(Status.Expired));
        }

        [Test]
        public void ResellersCode()
        {
            using (var v = MakeVerifier(null, true, Build, Delegation["vendor_public_key"]))
            {
                using (var lic = v.VerifyText((string)Case(Delegation, "one-level")["code"], Now))
                    Assert.AreEqual(Tuple.Create("Contoso", 1u), lic.Reseller);
                using (var lic = v.VerifyText((string)Case(Delegation, "two-level")["code"], Now))
                    Assert.AreEqual(Tuple.Create("Fabrikam", 2u), lic.Reseller);
                Assert.AreEqual(ResultCode.OutsideFrame, Refused(v, (string)Case(Delegation, "outside-frame-users")["code"]).Code);
            }
        }

        static List<KeyValuePair<string, uint>> HeaderCodes(string prefix)
        {
            var header = File.ReadAllText(Path.Combine(Repo, "ffi/include/license_ffi.h"));
            return Regex.Matches(header, @"^\s*" + prefix + @"(\w+) = (\d+),", RegexOptions.Multiline).Cast<Match>()
                .Select(m => new KeyValuePair<string, uint>(m.Groups[1].Value, uint.Parse(m.Groups[2].Value))).ToList();
        }

        static string Camel(string cName) =>
            string.Concat(cName.Split('_').Select(w => w.Substring(0, 1) + w.Substring(1).ToLowerInvariant()));

        [Test]
        public void EveryResultCodeOfTheHeaderIsANamedError()
        {
            var codes = HeaderCodes("LIC_RESULT_");
            Assert.GreaterOrEqual(codes.Count, 60);
            Assert.AreEqual(codes.Count, Enum.GetValues(typeof(ResultCode)).Length);
            foreach (var kv in codes)
            {
                var code = (ResultCode)Enum.Parse(typeof(ResultCode), Camel(kv.Key));
                Assert.AreEqual(kv.Value, (uint)code, kv.Key);
                Assert.AreEqual("LIC_RESULT_" + kv.Key, LicenseLibrary.ResultName(kv.Value));
                Assert.IsNotEmpty(LicenseLibrary.ResultMessage(kv.Value));
                if (kv.Value == 0) continue;
                var e = LicenseLibrary.Error(kv.Value);
                Assert.AreEqual(code, e.Code);
                Assert.AreEqual("LIC_RESULT_" + kv.Key, e.CName);
            }
            Assert.AreEqual(ResultCode.Unknown, new LicenseException(9999, "newer").Code);
        }

        static void Same(Type t, string prefix)
        {
            var want = HeaderCodes(prefix).Select(kv => Camel(kv.Key) + "=" + kv.Value);
            var got = Enum.GetValues(t).Cast<object>().Select(v => Enum.GetName(t, v) + "=" + Convert.ToUInt32(v));
            CollectionAssert.AreEquivalent(want, got, prefix);
        }

        [Test]
        public void EnumsMatchTheHeader()
        {
            Same(typeof(Status), "LIC_STATUS_");
            Same(typeof(Kind), "LIC_KIND_");
            Same(typeof(Component), "LIC_COMPONENT_");
            Same(typeof(LogLevel), "LIC_LOG_LEVEL_");
        }

        [Test]
        public void HundredThousandCreateFreeCyclesLeaveNoLiveHandle()
        {
            ulong start = LicenseLibrary.LiveHandles();
            var key = Hex(V1["public_key"]);
            for (int i = 0; i < 100000; i++)
            {
                using (var config = VerifierConfig.Create(Product, Build))
                {
                    config.AddKey(key).SetLicensee(Licensee);
                    using (Verifier.Create(config)) { }
                }
            }
            Assert.AreEqual(start, LicenseLibrary.LiveHandles());
        }

        [Test]
        public void DisposedHandleRefusesUse()
        {
            var v = Reference();
            v.Dispose();
            v.Dispose();
            Assert.Throws<ObjectDisposedException>(() => v.VerifyText("x"));
        }

        static Verifier Installation(string state)
        {
            using (var config = VerifierConfig.Create(Product, Build))
            {
                config.AddKey(Hex(V1["public_key"])).SetLicensee(Licensee)
                    .SetStateFile(state, Encoding.UTF8.GetBytes("0123456789abcdef-app-secret"));
                using (var fp = ReferenceMachine()) config.SetFingerprint(fp);
                return Verifier.Create(config);
            }
        }

        [Test]
        public void FirstRunOfAnInstallation()
        {
            var code = (string)Case(V1, "reference")["code"];
            var dir = Path.Combine(Path.GetTempPath(), "licensekit-first-run-" + Guid.NewGuid());
            Directory.CreateDirectory(dir);
            var state = Path.Combine(dir, "license.state");
            // A fresh state file: the first run, said once, then not on the next verification.
            using (var v = Installation(state))
            {
                using (var lic = v.VerifyText(code, Now))
                {
                    Assert.IsTrue(lic.FirstRun);
                    Assert.IsTrue(lic.IsUsable);
                }
                using (var lic = v.VerifyText(code, Now)) Assert.IsFalse(lic.FirstRun);
                v.FlushState();
            }
            Assert.IsTrue(File.Exists(state));
            // The next start of the application finds the state file: not a first run.
            using (var v = Installation(state))
            using (var lic = v.VerifyText(code, Now)) Assert.IsFalse(lic.FirstRun);
            // Without a state file there is no first run to report.
            using (var v = Reference())
            using (var lic = v.VerifyText(code, Now)) Assert.IsFalse(lic.FirstRun);
            Directory.Delete(dir, true);
        }

        [Test]
        public void FileStateAndRevocationList()
        {
            var dir = Path.Combine(Path.GetTempPath(), "licensekit-" + Guid.NewGuid());
            Directory.CreateDirectory(dir);
            var code = Path.Combine(dir, "license.txt");
            File.WriteAllText(code, (string)Case(V1, "perpetual-database")["code"]);
            var list = ((object[])V2["revocation_lists"]).Cast<Dictionary<string, object>>().First(l => (string)l["name"] == "list");
            long day = Noon("2026-12-02");
            using (var config = VerifierConfig.Create(Product, Build))
            {
                config.AddKey(Hex(V1["public_key"])).SetLicensee(Licensee).SetDatabase("DB-7F3A-22C1")
                    .SetStateFile(Path.Combine(dir, "license.state"), Encoding.UTF8.GetBytes("0123456789abcdef-app-secret"));
                using (var v = Verifier.Create(config))
                {
                    using (var lic = v.VerifyFile(code, day)) Assert.AreEqual(2002u, lic.Id);
                    Assert.IsNull(v.RevocationList());
                    var info = v.IngestRevocationList(Hex(list["bytes"]), day);
                    Assert.AreEqual((ulong)(int)list["sequence"], info.Sequence);
                    Assert.AreEqual(list["issued"], info.Issued.ToString());
                    Assert.AreEqual(info.Sequence, v.RevocationList().Sequence);
                    Assert.AreEqual(ResultCode.Revoked, Assert.Throws<LicenseException>(() => v.VerifyFile(code, day).Dispose()).Code);
                    Assert.AreEqual(ResultCode.ClockTurnedBack, Assert.Throws<LicenseException>(() => v.CheckClock(Noon("2026-11-01"))).Code);
                    Assert.AreEqual(ResultCode.Io, Assert.Throws<LicenseException>(() => v.VerifyFile(Path.Combine(dir, "missing"), day)).Code);
                }
            }
            Assert.IsTrue(File.Exists(Path.Combine(dir, "license.state")));
            Directory.Delete(dir, true);
        }

        [Test]
        public void DiagnosticCallbackReceivesTheReason()
        {
            var lines = new List<string>();
            LicenseLibrary.SetDiagnosticCallback((level, line) => { lock (lines) lines.Add(line); }, LogLevel.Info);
            try
            {
                using (var v = Reference()) Refused(v, (string)Case(V1, "typo")["code"]);
            }
            finally
            {
                LicenseLibrary.SetDiagnosticCallback(null);
            }
            Assert.IsTrue(lines.Any(l => l.Contains("group 7")), string.Join(" | ", lines));
        }

        [Test]
        public void FingerprintOfTheReferenceMachine()
        {
            var reference = ((object[])V2["fingerprints"]).Cast<Dictionary<string, object>>().First(f => (string)f["name"] == "reference");
            var binding = (Dictionary<string, object>)reference["binding"];
            using (var fp = ReferenceMachine())
            {
                CollectionAssert.AreEquivalent(new[] { Component.OsInstallId, Component.HardwareUuid, Component.Cpu, Component.Network }, fp.KnownComponents());
                Assert.AreEqual(binding["text"], fp.Print((uint)(int)binding["tolerance"]));
                StringAssert.Contains(fp.Print(1), fp.Describe(1));
                Assert.IsFalse(fp.AddMac(new byte[6]));
                Assert.AreEqual(ResultCode.InvalidArgument, Assert.Throws<LicenseException>(() => fp.Print(4)).Code);
            }
            using (var here = Fingerprint.Collect(Encoding.UTF8.GetBytes(Product))) Assert.IsNotNull(here.Describe(1));
        }

        [Test]
        public void DatabaseCodes()
        {
            var code = LicenseLibrary.DatabaseCodeNew();
            StringAssert.StartsWith("DB-", code);
            Assert.AreEqual(26, code.Length);
            Assert.AreEqual(code, LicenseLibrary.DatabaseCodeNormalize(code.ToLowerInvariant().Replace('-', ' ')));
            Assert.AreEqual(ResultCode.DatabaseCodeInvalid, Assert.Throws<LicenseException>(() => LicenseLibrary.DatabaseCodeNormalize("DB-nonsense")).Code);
        }

        [Test]
        public void SeatPoolLifecycle()
        {
            using (var pool = SeatPool.Create(2, 60))
            {
                Assert.AreEqual(1u, pool.Acquire("alice", 0).InUse);
                Assert.AreEqual(2u, pool.Acquire("bob", 10).InUse);
                Assert.AreEqual(ResultCode.NoSeatAvailable, Assert.Throws<LicenseException>(() => pool.Acquire("carol", 20)).Code);
                Assert.IsTrue(pool.Heartbeat("alice", 30).Renewed);
                using (var s = pool.Snapshot(40))
                {
                    Assert.AreEqual(Tuple.Create(2u, 2u, 2u), s.Usage());
                    CollectionAssert.AreEqual(new[] { "alice", "bob" }, s.Holders().Select(h => h.Holder));
                }
                Assert.IsTrue(pool.Release("bob"));
                Assert.AreEqual(ResultCode.SeatLeaseLost, Assert.Throws<LicenseException>(() => pool.Heartbeat("bob", 50)).Code);
                Assert.AreEqual(1u, pool.SetLimit(0));
            }
        }

        [Test]
        public void SeatClientWithoutAServer()
        {
            using (var client = SeatClient.Create("http://127.0.0.1:9", Product, "ws-1", Hex(V2["seat_server_public_key"])))
            {
                client.SetIdentity("alice", "ws-1.acme.lan");
                Assert.IsFalse(client.HoldsSeat);
                Assert.AreEqual(ResultCode.SeatServerUnreachable, Assert.Throws<LicenseException>(() => client.Acquire(60)).Code);
                Assert.AreEqual(ResultCode.SeatNoLease, Assert.Throws<LicenseException>(() => client.Token()).Code);
                Assert.AreEqual(ResultCode.SeatTokenInvalid, Assert.Throws<LicenseException>(() => client.AdoptToken("not-a-token")).Code);
            }
        }

        [Test]
        public void NupkgLayout()
        {
            var nupkg = Environment.GetEnvironmentVariable("LICENSE_KIT_NUPKG");
            if (nupkg == null) Assert.Ignore("LICENSE_KIT_NUPKG not set (bindings/dotnet/build.sh sets it)");
            using (var zip = ZipFile.OpenRead(nupkg))
            {
                var names = zip.Entries.Select(e => e.FullName).ToList();
                CollectionAssert.Contains(names, "LicenseKit.nuspec");
                CollectionAssert.Contains(names, "lib/net45/LicenseKit.dll");
                CollectionAssert.Contains(names, "lib/net45/LicenseKit.xml");
                CollectionAssert.Contains(names, "[Content_Types].xml");
                var natives = names.Where(n => n.StartsWith("runtimes/")).ToList();
                Assert.IsNotEmpty(natives);
                foreach (var n in natives)
                    StringAssert.IsMatch(@"^runtimes/(linux-x64|linux-arm64|win-x64)/native/(liblicense_ffi\.so|license_ffi\.dll)$", n);
                CollectionAssert.Contains(natives, "runtimes/linux-x64/native/liblicense_ffi.so");
                string nuspec;
                using (var r = new StreamReader(zip.GetEntry("LicenseKit.nuspec").Open())) nuspec = r.ReadToEnd();
                StringAssert.Contains("<id>LicenseKit</id>", nuspec);
                StringAssert.Contains("<version>" + LicenseLibrary.Version() + "</version>", nuspec);
            }
            // This test assembly references the LicenseKit.dll extracted from that package.
            var loaded = typeof(Verifier).Assembly.Location;
            StringAssert.Contains(Environment.GetEnvironmentVariable("LICENSE_KIT_EXTRACTED") ?? "\0", loaded);
        }
    
        static Tuple<int, string, string> Dialog(string data, string database, string stdin)
        {
            Directory.CreateDirectory(data);
            if (!File.Exists(Path.Combine(data, "database-code"))) File.WriteAllText(Path.Combine(data, "database-code"), database);
            var psi = new System.Diagnostics.ProcessStartInfo("mono",
                "\"" + Environment.GetEnvironmentVariable("LICENSE_KIT_DIALOG_EXE") + "\" \"" + data + "\" \"" + Licensee + "\"")
            {
                UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            using (var p = System.Diagnostics.Process.Start(psi))
            {
                p.StandardInput.Write(stdin);
                p.StandardInput.Close();
                var err = p.StandardError.ReadToEndAsync();
                var output = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                return Tuple.Create(p.ExitCode, output, err.Result);
            }
        }

        /// <summary>The sample of docs/INTEGRATION.md (examples/LicenseDialog.cs, compiled by build.sh against the package).</summary>
        [Test]
        public void LicenseDialogSample()
        {
            if (Environment.GetEnvironmentVariable("LICENSE_KIT_DIALOG_EXE") == null) Assert.Ignore("LICENSE_KIT_DIALOG_EXE not set (build.sh sets it)");
            var dir = Path.Combine(Path.GetTempPath(), "licensekit-dialog-" + Guid.NewGuid());
            var typo = (string)Case(V1, "typo")["code"];
            var code = (string)Case(V1, "perpetual-database")["code"];
            var r = Dialog(Path.Combine(dir, "other"), "DB-7F3A-22C2", typo + "\n" + code + "\n\n");
            Assert.AreEqual(1, r.Item1, r.Item2 + r.Item3);
            Assert.AreEqual("", r.Item3);
            StringAssert.Contains("Database code:       DB-7F3A-22C2", r.Item2);
            StringAssert.Contains("Refused: typo in group 7", r.Item2);
            StringAssert.Contains("Paste the code again", r.Item2);
            StringAssert.Contains("Refused: the license code was issued for another database", r.Item2);
            StringAssert.Contains("Send this installation's database code to the vendor: DB-7F3A-22C2", r.Item2);
            var vendorFile = Path.Combine(dir, "from-vendor.txt");
            File.WriteAllText(vendorFile, code);
            r = Dialog(Path.Combine(dir, "right"), "DB-7F3A-22C1", vendorFile + "\n");
            Assert.AreEqual(0, r.Item1, r.Item2 + r.Item3);
            StringAssert.Contains("License accepted.", r.Item2);
            Assert.AreEqual(code, File.ReadAllText(Path.Combine(dir, "right", "license.txt")));
            r = Dialog(Path.Combine(dir, "right"), "DB-7F3A-22C1", "");
            Assert.AreEqual(0, r.Item1, r.Item2 + r.Item3);
            StringAssert.DoesNotContain("Paste", r.Item2);
            Directory.Delete(dir, true);
        }
    
        /// <summary>A real license-server on loopback serving the vectors' NFR code (50 seats), its URL
        /// and key; the test is ignored when no server is built.</summary>
        static System.Diagnostics.Process StartSeatServer(out string url, out byte[] key, out string dir)
        {
            var exe = Environment.GetEnvironmentVariable("LICENSE_KIT_SEAT_SERVER") ?? Path.Combine(Repo, "target/release/license-server");
            if (!File.Exists(exe)) Assert.Ignore("no license-server at " + exe);
            dir = Path.Combine(Path.GetTempPath(), "licensekit-seats-" + Guid.NewGuid());
            Directory.CreateDirectory(dir);
            var code = Path.Combine(dir, "nfr.txt");
            File.WriteAllText(code, (string)Case(V1, "nfr-concurrent")["code"]);
            var psi = new System.Diagnostics.ProcessStartInfo(exe,
                "serve --license \"" + code + "\" --key " + V1["public_key"] + " --product " + Product + " --licensee \"" + Licensee +
                "\" --listen 127.0.0.1:0 --data \"" + Path.Combine(dir, "data") + "\" --allow-unbound-license")
            { UseShellExecute = false, RedirectStandardOutput = true };
            var server = System.Diagnostics.Process.Start(psi);
            try
            {
                url = null;
                for (int i = 0; i < 10 && url == null; i++)
                {
                    var line = server.StandardOutput.ReadLine();
                    if (line == null) break;
                    if (line.StartsWith("listening on ")) url = line.Substring(line.LastIndexOf(' ') + 1);
                }
                Assert.IsNotNull(url, "the server did not start");
                // Its public key, as an administrator reads it for the vendor.
                var keyPsi = new System.Diagnostics.ProcessStartInfo(exe, "key --data \"" + Path.Combine(dir, "data") + "\"")
                { UseShellExecute = false, RedirectStandardOutput = true };
                using (var k = System.Diagnostics.Process.Start(keyPsi))
                {
                    key = Hex(k.StandardOutput.ReadToEnd().Trim());
                    k.WaitForExit();
                }
                return server;
            }
            catch
            {
                StopSeatServer(server, dir);
                throw;
            }
        }

        static void StopSeatServer(System.Diagnostics.Process server, string dir)
        {
            server.Kill();
            server.WaitForExit();
            server.Dispose();
            Directory.Delete(dir, true);
        }

        [Test]
        public void SeatClientAgainstARealServer()
        {
            var server = StartSeatServer(out var url, out var key, out var dir);
            try
            {
                using (var client = SeatClient.Create(url, Product, "ws-1", key))
                {
                    client.SetIdentity("anna", "ws-1.acme.lan");
                    var lease = client.Acquire(60);
                    Assert.AreEqual(1u, lease.InUse);
                    Assert.AreEqual(50u, lease.Limit);
                    Assert.AreEqual(60L, lease.TtlSecs);
                    Assert.IsTrue(client.HoldsSeat);
                    Assert.AreEqual(1u, client.Heartbeat().InUse);
                    Assert.IsTrue(client.Borrow(3).Borrowed);
                    var token = client.Token();
                    using (var again = SeatClient.Create(url, Product, "ws-1", key))
                    {
                        Assert.IsTrue(again.AdoptToken(token).Borrowed);
                        Assert.IsTrue(again.HoldsSeat);
                    }
                    Assert.IsTrue(client.Release());
                    Assert.IsFalse(client.HoldsSeat);
                }
                var otherKey = Enumerable.Repeat((byte)0x5a, 32).ToArray();
                using (var other = SeatClient.Create(url, Product, "ws-2", otherKey))
                    Assert.AreEqual(ResultCode.SeatServerUnlicensed, Assert.Throws<LicenseException>(() => other.Acquire(60)).Code);
            }
            finally
            {
                StopSeatServer(server, dir);
            }
        }

        /// <summary>The first server is down (a port bound but not listening: connections are
        /// refused); the client fails over to the second, which answers.</summary>
        [Test]
        public void SeatClientFailsOverToTheNextServer()
        {
            var server = StartSeatServer(out var url, out var key, out var dir);
            try
            {
                using (var down = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork,
                    System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp))
                {
                    down.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
                    var downUrl = "http://127.0.0.1:" + ((System.Net.IPEndPoint)down.LocalEndPoint).Port;
                    using (var client = SeatClient.Create(downUrl, Product, "ws-3", key))
                    {
                        Assert.AreEqual(ResultCode.InvalidArgument,
                            Assert.Throws<LicenseException>(() => client.AddServer("ftp://127.0.0.1:1")).Code);
                        Assert.AreEqual(ResultCode.SeatServerUnreachable,
                            Assert.Throws<LicenseException>(() => client.Acquire(60)).Code);
                        client.AddServer(url);
                        var lease = client.Acquire(60);
                        Assert.AreEqual(1u, lease.InUse);
                        Assert.IsFalse(lease.ServerUnreachable);
                        Assert.AreEqual(1u, client.Heartbeat().InUse);
                        Assert.IsTrue(client.Release());
                    }
                }
            }
            finally
            {
                StopSeatServer(server, dir);
            }
        }

        /// <summary>The holder proof: the lease file carries the holder key across a restart; a
        /// client without it (another key) gets nothing back by the holder id alone.</summary>
        [Test]
        public void ALeaseFileCarriesTheHolderKeyAcrossARestart()
        {
            var server = StartSeatServer(out var url, out var key, out var dir);
            try
            {
                var path = Path.Combine(dir, "ws-9.lease");
                using (var first = SeatClient.Create(url, Product, "ws-9", key))
                {
                    first.SetLeaseFile(path);
                    first.Acquire(60);
                }
                Assert.IsTrue(File.Exists(path));
                using (var stranger = SeatClient.Create(url, Product, "ws-9", key))
                    Assert.AreEqual(ResultCode.SeatServerRefused, Assert.Throws<LicenseException>(() => stranger.Acquire(60)).Code);
                using (var again = SeatClient.Create(url, Product, "ws-9", key))
                {
                    again.SetLeaseFile(path);
                    Assert.AreEqual(1u, again.Heartbeat().InUse);
                    Assert.IsTrue(again.Release());
                }
            }
            finally
            {
                StopSeatServer(server, dir);
            }
        }
    }
}
