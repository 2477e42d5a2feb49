import com.licensekit.Component;
import com.licensekit.Date;
import com.licensekit.Fingerprint;
import com.licensekit.License;
import com.licensekit.Verifier;
import com.licensekit.VerifierConfig;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** The Java side of bindings/bench/run.sh: as verify_c.c, through com.licensekit. */
public final class VerifyBench {
    public static void main(String[] a) throws Exception {
        String code = a[0];
        long at = Long.parseLong(a[6]);
        int n = Integer.parseInt(a[7]);
        try (Fingerprint fp = new Fingerprint("demo-erp".getBytes(StandardCharsets.UTF_8));
             VerifierConfig c = new VerifierConfig("demo-erp", new Date(2026, 11, 1))) {
            fp.addComponent(Component.OS_INSTALL_ID, a[2]);
            fp.addComponent(Component.HARDWARE_UUID, a[3]);
            fp.addComponent(Component.CPU, a[4]);
            fp.addMac(HexFormat.of().parseHex(a[5]));
            c.addKey(HexFormat.of().parseHex(a[1])).setLicensee("ACME Corp").setFingerprint(fp);
            try (Verifier v = new Verifier(c)) {
                for (int round = 0; round < 3; round++) { // rounds 0 and 1 warm up (JIT)
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        try (License l = v.verifyTextAt(code, at)) {
                            // verified
                        }
                    }
                    if (round == 2) {
                        System.out.println((System.nanoTime() - t0) / n);
                    }
                }
            }
        }
    }
}
