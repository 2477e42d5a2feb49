// LicenseDialog.cs: the license dialog of a .NET product (docs/INTEGRATION.md).
// Shows this installation's database code and machine fingerprint, accepts a pasted code
// or the path of a file holding it, shows what the code grants, explains each refusal with
// what to do, and asks again. Text in, text out (a GUI shows the same texts).
//
// Run: mono LicenseDialog.exe <data-dir> "ACME Corp"   (LicenseKit.dll and the native library beside it)
using System;
using System.IO;
using System.Text;
using LicenseKit;

public static class LicenseDialog
{
    // From the vendor's catalog (`licensectl catalog export`): compiled in, never read from a file.
    const string Product = "demo-erp";
    static readonly string[] Modules = { "crm", "budget", "planning", "bi" };
    static readonly string[] VendorPublicKeys = { "ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c" };
    static readonly Date BuildDate = new Date(2026, 11, 1);
    static readonly byte[] StateSecret = Encoding.UTF8.GetBytes("demo-erp state file key, v1");

    static byte[] Hex(string s)
    {
        var b = new byte[s.Length / 2];
        for (int i = 0; i < b.Length; i++) b[i] = Convert.ToByte(s.Substring(2 * i, 2), 16);
        return b;
    }

    // Created once, at installation, and kept with the product's data.
    static string InstallationDatabaseCode(string data)
    {
        var path = Path.Combine(data, "database-code");
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        var code = LicenseLibrary.DatabaseCodeNew();
        File.WriteAllText(path, code);
        return code;
    }

    static string Advice(LicenseException e, string database, string fingerprint)
    {
        switch (e.Code)
        {
            case ResultCode.WrongDatabase:
            case ResultCode.DatabaseCodeRequired:
                return "Send this installation's database code to the vendor: " + database;
            case ResultCode.WrongMachine:
                return "Send this machine's fingerprint to the vendor: " + fingerprint;
            case ResultCode.Typo:
            case ResultCode.TypoUnlocated:
            case ResultCode.InvalidCharacter:
            case ResultCode.CodeTooShort:
                return "Paste the code again, or the file the vendor sent.";
            case ResultCode.ClockTurnedBack:
                return "Correct the system clock, then try again.";
            default:
                return "If this persists, contact the vendor with the message above.";
        }
    }

    public static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: LicenseDialog <data-dir> <licensee>");
            return 2;
        }
        string data = args[0], licensee = args[1];
        string database = InstallationDatabaseCode(data);
        string fingerprint;
        try
        {
            using (var fp = Fingerprint.Collect(Encoding.UTF8.GetBytes(Product))) fingerprint = fp.Print(1);
        }
        catch (LicenseException)
        {
            fingerprint = "(none: ask for a code bound to the database)";
        }
        Verifier verifier;
        using (var config = VerifierConfig.Create(Product, BuildDate))
        {
            foreach (var key in VendorPublicKeys) config.AddKey(Hex(key));
            config.SetLicensee(licensee).SetDatabase(database).SetStateFile(Path.Combine(data, "license.state"), StateSecret);
            foreach (var m in Modules) config.AddModule(m);
            verifier = Verifier.Create(config);
        }
        using (verifier)
        {
            Console.WriteLine("License for " + Product + " (" + licensee + ")");
            Console.WriteLine("  Database code:       " + database);
            Console.WriteLine("  Machine fingerprint: " + fingerprint);
            var licenseFile = Path.Combine(data, "license.txt");
            if (File.Exists(licenseFile))
            {
                try
                {
                    using (var lic = verifier.VerifyFile(licenseFile))
                    {
                        Console.WriteLine("License accepted.");
                        Console.WriteLine(lic.Describe());
                        if (lic.IsUsable) return 0;
                    }
                }
                catch (LicenseException e)
                {
                    Console.WriteLine("The installed license is refused: " + e.Message);
                }
            }
            while (true)
            {
                Console.WriteLine("Paste the license code, or the path of the file holding it (empty line: cancel):");
                var line = Console.ReadLine();
                if (string.IsNullOrWhiteSpace(line))
                {
                    Console.WriteLine("No license entered.");
                    return 1;
                }
                var text = File.Exists(line.Trim()) ? File.ReadAllText(line.Trim()) : line;
                try
                {
                    using (var lic = verifier.VerifyText(text))
                    {
                        // Never replace a usable license with one that does not allow use today.
                        if (lic.IsUsable || !File.Exists(licenseFile)) File.WriteAllText(licenseFile, text);
                        Console.WriteLine("License accepted.");
                        Console.WriteLine(lic.Describe());
                        return lic.IsUsable ? 0 : 1;
                    }
                }
                catch (LicenseException e)
                {
                    Console.WriteLine("Refused: " + e.Message);
                    Console.WriteLine(Advice(e, database, fingerprint));
                }
            }
        }
    }
}
