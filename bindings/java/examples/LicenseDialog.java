// LicenseDialog.java: the license dialog of a Java product (docs/INTEGRATION.md).
// Shows this installation's database code and machine fingerprint, accepts a pasted code
// or the path of a file holding it, shows what the code grants, explains each refusal with
// what to do, and asks again. Text in, text out (a GUI shows the same texts).
//
// Run: java -cp license-kit.jar:jna.jar:. LicenseDialog <data-dir> "ACME Corp"
import com.licensekit.Date;
import com.licensekit.Fingerprint;
import com.licensekit.License;
import com.licensekit.LicenseException;
import com.licensekit.LicenseKit;
import com.licensekit.Verifier;
import com.licensekit.VerifierConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

public final class LicenseDialog {
    // From the vendor's catalog (`licensectl catalog export`): compiled in, never read from a file.
    static final String PRODUCT = "demo-erp";
    static final List<String> MODULES = List.of("crm", "budget", "planning", "bi");
    static final List<String> VENDOR_PUBLIC_KEYS =
        List.of("ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c");
    static final Date BUILD_DATE = new Date(2026, 11, 1);
    static final byte[] STATE_SECRET = "demo-erp state file key, v1".getBytes(StandardCharsets.UTF_8);

    /** Created once, at installation, and kept with the product's data. */
    static String installationDatabaseCode(Path data) throws IOException, LicenseException {
        Path path = data.resolve("database-code");
        if (Files.exists(path)) {
            return Files.readString(path).strip();
        }
        String code = LicenseKit.databaseCodeNew();
        Files.writeString(path, code);
        return code;
    }

    static String advice(LicenseException e, String database, String fingerprint) {
        switch (e.code()) {
            case WRONG_DATABASE:
            case DATABASE_CODE_REQUIRED:
                return "Send this installation's database code to the vendor: " + database;
            case WRONG_MACHINE:
                return "Send this machine's fingerprint to the vendor: " + fingerprint;
            case TYPO:
            case TYPO_UNLOCATED:
            case INVALID_CHARACTER:
            case CODE_TOO_SHORT:
                return "Paste the code again, or the file the vendor sent.";
            case CLOCK_TURNED_BACK:
                return "Correct the system clock, then try again.";
            default:
                return "If this persists, contact the vendor with the message above.";
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LicenseDialog <data-dir> <licensee>");
            System.exit(2);
        }
        System.exit(run(Path.of(args[0]), args[1]));
    }

    static int run(Path data, String licensee) throws Exception {
        String database = installationDatabaseCode(data);
        String fingerprint;
        try (Fingerprint fp = Fingerprint.collect(PRODUCT.getBytes(StandardCharsets.UTF_8))) {
            fingerprint = fp.print(1);
        } catch (LicenseException e) {
            fingerprint = "(none: ask for a code bound to the database)";
        }
        Verifier verifier;
        try (VerifierConfig config = new VerifierConfig(PRODUCT, BUILD_DATE)) {
            for (String key : VENDOR_PUBLIC_KEYS) {
                config.addKey(HexFormat.of().parseHex(key));
            }
            config.setLicensee(licensee).setDatabase(database).setStateFile(data.resolve("license.state"), STATE_SECRET);
            for (String m : MODULES) {
                config.addModule(m);
            }
            verifier = new Verifier(config);
        }
        try (verifier) {
            System.out.println("License for " + PRODUCT + " (" + licensee + ")");
            System.out.println("  Database code:       " + database);
            System.out.println("  Machine fingerprint: " + fingerprint);
            Path licenseFile = data.resolve("license.txt");
            if (Files.exists(licenseFile)) {
                try (License lic = verifier.verifyFile(licenseFile)) {
                    System.out.println("License accepted.");
                    System.out.println(lic.describe());
                    if (lic.isUsable()) {
                        return 0;
                    }
                } catch (LicenseException e) {
                    System.out.println("The installed license is refused: " + e.getMessage());
                }
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (true) {
                System.out.println("Paste the license code, or the path of the file holding it (empty line: cancel):");
                String line = in.readLine();
                if (line == null || line.isBlank()) {
                    System.out.println("No license entered.");
                    return 1;
                }
                Path path = Path.of(line.strip());
                String text = Files.isRegularFile(path) ? Files.readString(path) : line;
                try (License lic = verifier.verifyText(text)) {
                    // Never replace a usable license with one that does not allow use today.
                    if (lic.isUsable() || !Files.exists(licenseFile)) {
                        Files.writeString(licenseFile, text);
                    }
                    System.out.println("License accepted.");
                    System.out.println(lic.describe());
                    return lic.isUsable() ? 0 : 1;
                } catch (LicenseException e) {
                    System.out.println("Refused: " + e.getMessage());
                    System.out.println(advice(e, database, fingerprint));
                }
            }
        }
    }
}
