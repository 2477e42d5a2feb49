// The C# side of bindings/bench/run.sh: as verify_c.c, through LicenseKit.
using System;
using System.Diagnostics;
using System.Text;
using LicenseKit;

public static class VerifyBench
{
    public static int Main(string[] a)
    {
        string code = a[0];
        long at = long.Parse(a[6]);
        int n = int.Parse(a[7]);
        Func<string, byte[]> hex = s =>
        {
            var b = new byte[s.Length / 2];
            for (int i = 0; i < b.Length; i++) b[i] = Convert.ToByte(s.Substring(2 * i, 2), 16);
            return b;
        };
        using (var fp = Fingerprint.Create(Encoding.UTF8.GetBytes("demo-erp")))
        using (var c = VerifierConfig.Create("demo-erp", new Date(2026, 11, 1)))
        {
            fp.AddComponent(Component.OsInstallId, a[2]);
            fp.AddComponent(Component.HardwareUuid, a[3]);
            fp.AddComponent(Component.Cpu, a[4]);
            fp.AddMac(hex(a[5]));
            c.AddKey(hex(a[1])).SetLicensee("ACME Corp").SetFingerprint(fp);
            using (var v = Verifier.Create(c))
            {
                for (int round = 0; round < 3; round++) // rounds 0 and 1 warm up (JIT)
                {
                    var sw = Stopwatch.StartNew();
                    for (int i = 0; i < n; i++)
                        using (v.VerifyText(code, at)) { }
                    if (round == 2) Console.WriteLine((long)(sw.Elapsed.TotalMilliseconds * 1e6 / n));
                }
            }
        }
        return 0;
    }
}
