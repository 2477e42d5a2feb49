package com.licensekit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/** The Java binding against the golden vectors, the header's result codes and the live-handle count. */
@SuppressWarnings("unchecked")
public class LicenseKitTest {
    static final Path REPO = Path.of(System.getProperty("licensekit.repo", "../.."));
    static final String PRODUCT = "demo-erp";
    static final String LICENSEE = "ACME Corp";
    static final Date BUILD = new Date(2026, 11, 1);
    static final long NOW = noon("2026-11-22");

    static long noon(String day) {
        return LocalDate.parse(day).atTime(12, 0).toEpochSecond(ZoneOffset.UTC);
    }

    static Map<String, Object> vectors(String name) {
        try {
            return (Map<String, Object>) Json.parse(Files.readString(REPO.resolve("license-core/tests/vectors/" + name)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static final Map<String, Object> V1 = vectors("v1.json");
    static final Map<String, Object> V2 = vectors("v2.json");
    static final Map<String, Object> DELEGATION = vectors("v2-delegation.json");

    static Map<String, Object> vcase(Map<String, Object> vectors, String name) {
        for (Object c : (List<Object>) vectors.get("cases")) {
            if (name.equals(((Map<String, Object>) c).get("name"))) {
                return (Map<String, Object>) c;
            }
        }
        throw new AssertionError("no vector " + name);
    }

    static byte[] hex(Object s) {
        return HexFormat.of().parseHex((String) s);
    }

    static Fingerprint referenceMachine() throws LicenseException {
        Map<String, Object> raw = (Map<String, Object>) V1.get("reference_machine_raw");
        Fingerprint fp = new Fingerprint(PRODUCT.getBytes(StandardCharsets.UTF_8));
        assertTrue(fp.addComponent(Component.OS_INSTALL_ID, (String) raw.get("os-install-id")));
        assertTrue(fp.addComponent(Component.HARDWARE_UUID, (String) raw.get("hardware-uuid")));
        assertTrue(fp.addComponent(Component.CPU, (String) raw.get("cpu")));
        assertTrue(fp.addMac(hex(raw.get("network"))));
        return fp;
    }

    static Verifier verifier(String database, boolean machine, Date build, String key) throws LicenseException {
        try (VerifierConfig config = new VerifierConfig(PRODUCT, build)) {
            config.addKey(hex(key)).setLicensee(LICENSEE);
            for (String m : List.of("crm", "budget", "planning", "bi")) {
                config.addModule(m);
            }
            if (database != null) {
                config.setDatabase(database);
            }
            if (machine) {
                try (Fingerprint fp = referenceMachine()) {
                    config.setFingerprint(fp);
                }
            }
            return new Verifier(config);
        }
    }

    static Verifier reference() throws LicenseException {
        return verifier(null, true, BUILD, (String) V1.get("public_key"));
    }

    static LicenseException refused(Verifier v, String code) {
        return assertThrows(LicenseException.class, () -> v.verifyTextAt(code, NOW).close());
    }

    @Test
    public void validReferenceCode() throws Exception {
        Map<String, Object> c = vcase(V1, "reference");
        Map<String, Object> want = (Map<String, Object>) c.get("license");
        try (Verifier v = reference(); License lic = v.verifyTextAt((String) c.get("code"), NOW)) {
            assertEquals(Status.VALID, lic.status());
            assertEquals("valid", lic.status().words());
            assertTrue(lic.isUsable());
            assertTrue(lic.releaseCovered());
            assertEquals(Kind.SUBSCRIPTION, lic.kind());
            assertEquals(((Long) want.get("license_id")).intValue(), lic.id());
            assertEquals(((Long) want.get("named_users")).intValue(), lic.namedUsers());
            assertEquals(((Long) want.get("concurrent_seats")).intValue(), lic.concurrentSeats());
            assertEquals(((Long) want.get("line")).intValue(), lic.line());
            assertEquals(want.get("expires"), lic.expires().toString());
            assertEquals(want.get("issued"), lic.issued().toString());
            assertEquals(((Long) want.get("modules")).longValue(), lic.modules());
            assertTrue(lic.hasModule("bi"));
            assertEquals(ResultCode.UNKNOWN_MODULE,
                assertThrows(LicenseException.class, () -> lic.hasModule("crn")).code());
            assertNull(lic.pendingChange());
            assertEquals(new Records.Reseller("", 0), lic.reseller());
            assertEquals(365, lic.daysLeft());
            assertEquals("2026-11-22", lic.today().toString());
            assertTrue(lic.describe().length() > 20);
        }
    }

    static Verifier referenceWithLines(String... lines) throws LicenseException {
        try (VerifierConfig config = new VerifierConfig(PRODUCT, BUILD)) {
            config.addKey(hex(V1.get("public_key"))).setLicensee(LICENSEE);
            for (String line : lines) {
                config.addLine(line);
            }
            try (Fingerprint fp = referenceMachine()) {
                config.setFingerprint(fp);
            }
            return new Verifier(config);
        }
    }

    @Test
    public void lineNamesNameTheReferenceCodesLine() throws Exception {
        String code = (String) vcase(V1, "reference").get("code");
        assertEquals(1L, ((Map<String, Object>) vcase(V1, "reference").get("license")).get("line"));
        try (Verifier v = referenceWithLines("standard", "expert"); License lic = v.verifyTextAt(code, NOW)) {
            assertEquals(1, lic.line());
            assertEquals("expert", lic.lineName());
            assertTrue(lic.describe().contains("product line expert"));
        }
        // Without names the line is only a number; a name for line 0 only leaves line 1 unnamed.
        try (Verifier v = referenceWithLines(); License lic = v.verifyTextAt(code, NOW)) {
            assertEquals(1, lic.line());
            assertEquals("", lic.lineName());
        }
        try (Verifier v = referenceWithLines("standard"); License lic = v.verifyTextAt(code, NOW)) {
            assertEquals("", lic.lineName());
        }
        // At most 16 names.
        try (VerifierConfig config = new VerifierConfig(PRODUCT, BUILD)) {
            for (int i = 0; i < 16; i++) {
                config.addLine("line-" + i);
            }
            assertEquals(ResultCode.INVALID_ARGUMENT,
                assertThrows(LicenseException.class, () -> config.addLine("one-too-many")).code());
        }
    }

    @Test
    public void tolerateUnreadableTakesComponents() throws Exception {
        try (VerifierConfig config = new VerifierConfig(PRODUCT, BUILD)) {
            config.addKey(hex(V1.get("public_key"))).setLicensee(LICENSEE);
            assertSame(config, config.tolerateUnreadable(Component.HARDWARE_UUID));
            config.tolerateUnreadable(Component.BOARD_SERIAL);
            try (Fingerprint fp = referenceMachine()) {
                config.setFingerprint(fp);
            }
            // The reference machine still matches with the components tolerated.
            try (Verifier v = new Verifier(config);
                 License lic = v.verifyTextAt((String) vcase(V1, "reference").get("code"), NOW)) {
                assertTrue(lic.isUsable());
            }
        }
    }

    @Test
    public void typoNamesItsGroup() throws Exception {
        Map<String, Object> c = vcase(V1, "typo");
        try (Verifier v = reference()) {
            LicenseException e = refused(v, (String) c.get("code"));
            assertEquals(ResultCode.TYPO, e.code());
            assertEquals(104, e.number());
            assertEquals(c.get("message"), e.getMessage());
        }
    }

    @Test
    public void wrongDatabase() throws Exception {
        Map<String, Object> wrong = vcase(V1, "wrong-database");
        String key = (String) V1.get("public_key");
        try (Verifier v = verifier((String) ((Map<String, Object>) wrong.get("context")).get("database"), false, BUILD, key)) {
            LicenseException e = refused(v, (String) wrong.get("code"));
            assertEquals(ResultCode.WRONG_DATABASE, e.code());
            assertEquals(wrong.get("message"), e.getMessage());
        }
        Map<String, Object> right = vcase(V1, "perpetual-database");
        try (Verifier v = verifier("db7f3a22c1", false, BUILD, key);
             License lic = v.verifyTextAt((String) right.get("code"), NOW)) {
            assertEquals(Kind.FULL, lic.kind());
            assertNull(lic.expires());
            assertEquals(LicenseKit.UNLIMITED, lic.daysLeft());
        }
    }

    static final Map<String, Status> STATUS = Map.of("not-yet-valid", Status.NOT_YET_VALID, "valid", Status.VALID,
        "expiring-soon", Status.EXPIRING_SOON, "in-grace", Status.IN_GRACE, "demo-mode", Status.DEMO_MODE,
        "expired", Status.EXPIRED, "replaced", Status.REPLACED);

    @Test
    public void statusTableIncludingTheExpiredTrial() throws Exception {
        EnumSet<Status> seen = EnumSet.noneOf(Status.class);
        for (Object t : (List<Object>) V2.get("status")) {
            Map<String, Object> table = (Map<String, Object>) t;
            Map<String, Object> c = vcase(V2, (String) table.get("case"));
            Map<String, Object> ctx = (Map<String, Object>) c.get("context");
            String issued = (String) ((Map<String, Object>) c.get("license")).get("issued");
            for (Object d : (List<Object>) table.get("days")) {
                Map<String, Object> day = (Map<String, Object>) d;
                LocalDate b = LocalDate.parse((String) day.get("build_date"));
                String today = (String) day.get("today");
                try (Verifier v = verifier((String) ctx.get("database"), ctx.get("machine") != null,
                    new Date(b.getYear(), b.getMonthValue(), b.getDayOfMonth()), (String) V2.get("public_key"))) {
                    if (today.compareTo(issued) < 0) {
                        LicenseException e = assertThrows(LicenseException.class,
                            () -> v.verifyTextAt((String) c.get("code"), noon(today)).close());
                        assertEquals(ResultCode.CLOCK_BEFORE_ISSUE, e.code());
                        continue;
                    }
                    try (License lic = v.verifyTextAt((String) c.get("code"), noon(today))) {
                        Map<String, Object> ev = (Map<String, Object>) day.get("evaluation");
                        String want = (String) ((Map<String, Object>) ev.get("status")).get("status");
                        assertEquals(table.get("case") + " " + today, STATUS.get(want), lic.status());
                        assertEquals(day.get("usable"), lic.isUsable());
                        seen.add(lic.status());
                    }
                }
            }
        }
        assertTrue(seen.contains(Status.EXPIRED));
    }

    @Test
    public void resellersCode() throws Exception {
        try (Verifier v = verifier(null, true, BUILD, (String) DELEGATION.get("vendor_public_key"))) {
            try (License lic = v.verifyTextAt((String) vcase(DELEGATION, "one-level").get("code"), NOW)) {
                assertEquals(new Records.Reseller("Contoso", 1), lic.reseller());
            }
            try (License lic = v.verifyTextAt((String) vcase(DELEGATION, "two-level").get("code"), NOW)) {
                assertEquals(new Records.Reseller("Fabrikam", 2), lic.reseller());
            }
            assertEquals(ResultCode.OUTSIDE_FRAME,
                refused(v, (String) vcase(DELEGATION, "outside-frame-users").get("code")).code());
        }
    }

    /** (name, number) of every constant with this prefix in the committed header. */
    static List<Map.Entry<String, Integer>> headerCodes(String prefix) throws IOException {
        String header = Files.readString(REPO.resolve("ffi/include/license_ffi.h"));
        Matcher m = Pattern.compile("(?m)^\\s*" + prefix + "(\\w+) = (\\d+),").matcher(header);
        List<Map.Entry<String, Integer>> out = new ArrayList<>();
        while (m.find()) {
            out.add(Map.entry(m.group(1), Integer.parseInt(m.group(2))));
        }
        return out;
    }

    @Test
    public void everyResultCodeOfTheHeaderIsANamedError() throws Exception {
        List<Map.Entry<String, Integer>> codes = headerCodes("LIC_RESULT_");
        assertTrue(codes.size() >= 60);
        assertEquals(codes.size(), ResultCode.values().length);
        for (Map.Entry<String, Integer> e : codes) {
            ResultCode c = ResultCode.valueOf(e.getKey());
            assertEquals(e.getValue().intValue(), c.number());
            assertSame(c, ResultCode.fromNumber(e.getValue()));
            assertEquals("LIC_RESULT_" + e.getKey(), LicenseKit.resultName(e.getValue()));
            assertFalse(LicenseKit.resultMessage(e.getValue()).isEmpty());
            if (c != ResultCode.OK) {
                LicenseException x = Calls.error(e.getValue());
                assertSame(c, x.code());
                assertEquals("LIC_RESULT_" + e.getKey(), x.code().cName());
            }
        }
        assertEquals(ResultCode.UNKNOWN, new LicenseException(9999, "newer").code());
    }

    @Test
    public void enumsMatchTheHeader() throws Exception {
        Map<String, Integer> status = new LinkedHashMap<>();
        for (Status s : Status.values()) {
            status.put(s.name(), s.number());
        }
        assertEquals(new LinkedHashMap<>(Map.ofEntries(headerCodes("LIC_STATUS_").toArray(Map.Entry[]::new))), status);
        List<Map.Entry<String, Integer>> kinds = new ArrayList<>();
        for (Kind k : Kind.values()) {
            kinds.add(Map.entry(k.name(), k.ordinal()));
        }
        assertEquals(headerCodes("LIC_KIND_"), kinds);
        List<Map.Entry<String, Integer>> comps = new ArrayList<>();
        for (Component k : Component.values()) {
            comps.add(Map.entry(k.name(), k.ordinal()));
        }
        assertEquals(headerCodes("LIC_COMPONENT_"), comps);
        List<Map.Entry<String, Integer>> levels = new ArrayList<>();
        for (LogLevel l : LogLevel.values()) {
            levels.add(Map.entry(l.name(), l.number()));
        }
        assertEquals(headerCodes("LIC_LOG_LEVEL_"), levels);
    }

    @Test
    public void hundredThousandCreateFreeCyclesLeaveNoLiveHandle() throws Exception {
        long start = LicenseKit.liveHandles();
        byte[] key = hex(V1.get("public_key"));
        for (int i = 0; i < 100_000; i++) {
            try (VerifierConfig config = new VerifierConfig(PRODUCT, BUILD)) {
                config.addKey(key).setLicensee(LICENSEE);
                try (Verifier v = new Verifier(config)) {
                    assertNotNull(v);
                }
            }
        }
        assertEquals(start, LicenseKit.liveHandles());
    }

    @Test
    public void closedHandleRefusesUse() throws Exception {
        Verifier v = reference();
        v.close();
        v.close();
        assertThrows(IllegalStateException.class, () -> v.verifyText("x"));
    }

    @Test
    public void fileStateAndRevocationList() throws Exception {
        Path dir = Files.createTempDirectory("licensekit");
        Path code = dir.resolve("license.txt");
        Files.writeString(code, (String) vcase(V1, "perpetual-database").get("code"));
        Map<String, Object> list = null;
        for (Object o : (List<Object>) V2.get("revocation_lists")) {
            if ("list".equals(((Map<String, Object>) o).get("name"))) {
                list = (Map<String, Object>) o;
            }
        }
        try (VerifierConfig config = new VerifierConfig(PRODUCT, BUILD)) {
            config.addKey(hex(V1.get("public_key"))).setLicensee(LICENSEE).setDatabase("DB-7F3A-22C1")
                .setStateFile(dir.resolve("license.state"), "0123456789abcdef-app-secret".getBytes(StandardCharsets.UTF_8));
            try (Verifier v = new Verifier(config)) {
                long day = noon("2026-12-02");
                try (License lic = v.verifyFileAt(code, day)) {
                    assertEquals(2002, lic.id());
                }
                assertNull(v.revocationList());
                Records.RevocationInfo info = v.ingestRevocationListAt(hex(list.get("bytes")), day);
                assertEquals(((Long) list.get("sequence")).longValue(), info.sequence());
                assertEquals(list.get("issued"), info.issued().toString());
                assertEquals(info, v.revocationList());
                assertEquals(ResultCode.REVOKED,
                    assertThrows(LicenseException.class, () -> v.verifyFileAt(code, day).close()).code());
                assertEquals(ResultCode.CLOCK_TURNED_BACK,
                    assertThrows(LicenseException.class, () -> v.checkClockAt(noon("2026-11-01"))).code());
                assertEquals(ResultCode.IO,
                    assertThrows(LicenseException.class, () -> v.verifyFileAt(dir.resolve("missing"), day)).code());
            }
        }
        assertTrue(Files.isRegularFile(dir.resolve("license.state")));
    }

    static Verifier installation(Path state) throws LicenseException {
        try (VerifierConfig config = new VerifierConfig(PRODUCT, BUILD)) {
            config.addKey(hex(V1.get("public_key"))).setLicensee(LICENSEE)
                .setStateFile(state, "0123456789abcdef-app-secret".getBytes(StandardCharsets.UTF_8));
            try (Fingerprint fp = referenceMachine()) {
                config.setFingerprint(fp);
            }
            return new Verifier(config);
        }
    }

    @Test
    public void firstRunOfAnInstallation() throws Exception {
        String code = (String) vcase(V1, "reference").get("code");
        Path state = Files.createTempDirectory("licensekit").resolve("license.state");
        // A fresh state file: the first run, said once, then not on the next verification.
        try (Verifier v = installation(state)) {
            try (License lic = v.verifyTextAt(code, NOW)) {
                assertTrue(lic.firstRun());
                assertTrue(lic.isUsable());
            }
            try (License lic = v.verifyTextAt(code, NOW)) {
                assertFalse(lic.firstRun());
            }
            v.flushState();
        }
        assertTrue(Files.isRegularFile(state));
        // The next start of the application finds the state file: not a first run.
        try (Verifier v = installation(state); License lic = v.verifyTextAt(code, NOW)) {
            assertFalse(lic.firstRun());
        }
        // Without a state file there is no first run to report.
        try (Verifier v = reference(); License lic = v.verifyTextAt(code, NOW)) {
            assertFalse(lic.firstRun());
        }
    }

    @Test
    public void diagnosticCallbackReceivesTheReason() throws Exception {
        List<String> lines = new ArrayList<>();
        LicenseKit.setDiagnosticCallback((level, line) -> lines.add(line), LogLevel.INFO);
        try (Verifier v = reference()) {
            refused(v, (String) vcase(V1, "typo").get("code"));
        } finally {
            LicenseKit.setDiagnosticCallback(null, LogLevel.INFO);
        }
        assertTrue(lines.toString(), lines.stream().anyMatch(l -> l.contains("group 7")));
    }

    @Test
    public void fingerprintOfTheReferenceMachine() throws Exception {
        Map<String, Object> ref = null;
        for (Object o : (List<Object>) V2.get("fingerprints")) {
            if ("reference".equals(((Map<String, Object>) o).get("name"))) {
                ref = (Map<String, Object>) ((Map<String, Object>) o).get("binding");
            }
        }
        try (Fingerprint fp = referenceMachine()) {
            assertEquals(EnumSet.of(Component.OS_INSTALL_ID, Component.HARDWARE_UUID, Component.CPU, Component.NETWORK),
                fp.knownComponents());
            assertEquals(ref.get("text"), fp.print(((Long) ref.get("tolerance")).intValue()));
            assertTrue(fp.describe(1).contains(fp.print(1)));
            assertFalse(fp.addMac(new byte[6]));
            assertEquals(ResultCode.INVALID_ARGUMENT, assertThrows(LicenseException.class, () -> fp.print(4)).code());
        }
        try (Fingerprint here = Fingerprint.collect(PRODUCT.getBytes(StandardCharsets.UTF_8))) {
            assertNotNull(here.describe(1));
        }
    }

    @Test
    public void databaseCodes() throws Exception {
        String code = LicenseKit.databaseCodeNew();
        assertTrue(code.startsWith("DB-"));
        assertEquals(26, code.length());
        assertEquals(code, LicenseKit.databaseCodeNormalize(code.toLowerCase().replace('-', ' ')));
        assertEquals(ResultCode.DATABASE_CODE_INVALID,
            assertThrows(LicenseException.class, () -> LicenseKit.databaseCodeNormalize("DB-nonsense")).code());
    }

    @Test
    public void seatPool() throws Exception {
        try (SeatPool pool = new SeatPool(2, 60)) {
            assertEquals(1, pool.acquireAt("alice", 0).inUse());
            assertEquals(2, pool.acquireAt("bob", 10).inUse());
            assertEquals(ResultCode.NO_SEAT_AVAILABLE,
                assertThrows(LicenseException.class, () -> pool.acquireAt("carol", 20)).code());
            assertTrue(pool.heartbeatAt("alice", 30).renewed());
            try (SeatSnapshot s = pool.snapshotAt(40)) {
                assertEquals(new Records.Usage(2, 2, 2), s.usage());
                assertEquals("alice", s.holders().get(0).holder());
                assertEquals("bob", s.holders().get(1).holder());
            }
            assertTrue(pool.release("bob"));
            assertEquals(ResultCode.SEAT_LEASE_LOST,
                assertThrows(LicenseException.class, () -> pool.heartbeatAt("bob", 50)).code());
            assertEquals(1, pool.setLimit(0));
        }
    }

    @Test
    public void seatClientWithoutAServer() throws Exception {
        try (SeatClient client = SeatClient.create("http://127.0.0.1:9", PRODUCT, "ws-1",
            hex(V2.get("seat_server_public_key")))) {
            client.setIdentity("alice", "ws-1.acme.lan");
            assertFalse(client.holdsSeat());
            assertEquals(ResultCode.SEAT_SERVER_UNREACHABLE,
                assertThrows(LicenseException.class, () -> client.acquire(60)).code());
            assertEquals(ResultCode.SEAT_NO_LEASE, assertThrows(LicenseException.class, client::token).code());
            assertEquals(ResultCode.SEAT_TOKEN_INVALID,
                assertThrows(LicenseException.class, () -> client.adoptToken("not-a-token")).code());
        }
    }

    @Test
    public void versionIsTheHeadersAndTheJarCarriesTheLibrary() throws Exception {
        Matcher m = Pattern.compile("#define LIC_VERSION \"([^\"]+)\"")
            .matcher(Files.readString(REPO.resolve("ffi/include/license_ffi.h")));
        assertTrue(m.find());
        assertEquals(m.group(1), LicenseKit.version());
        if (System.getProperty("licensekit.library") == null) {
            String resource = com.sun.jna.Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("license_ffi");
            assertNotNull(resource + " in the jar", Verifier.class.getClassLoader().getResource(resource));
        }
    }

    static String[] dialog(Path data, String database, String stdin) throws Exception {
        Files.createDirectories(data);
        if (!Files.exists(data.resolve("database-code"))) {
            Files.writeString(data.resolve("database-code"), database);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        if (System.getProperty("licensekit.library") != null) {
            cmd.add("-Dlicensekit.library=" + System.getProperty("licensekit.library"));
        }
        cmd.addAll(List.of("LicenseDialog", data.toString(), LICENSEE));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new String[] {String.valueOf(p.waitFor()), out, err};
    }

    /** The sample of docs/INTEGRATION.md (examples/LicenseDialog.java, compiled by build.sh). */
    @Test
    public void licenseDialogSample() throws Exception {
        Path dir = Files.createTempDirectory("licensekit-dialog");
        String typo = (String) vcase(V1, "typo").get("code");
        String code = (String) vcase(V1, "perpetual-database").get("code");
        String[] r = dialog(dir.resolve("other"), "DB-7F3A-22C2", typo + "\n" + code + "\n\n");
        assertEquals(r[1] + r[2], "1", r[0]);
        assertEquals("", r[2]);
        assertTrue(r[1], r[1].contains("Database code:       DB-7F3A-22C2"));
        assertTrue(r[1], r[1].contains("Refused: typo in group 7"));
        assertTrue(r[1], r[1].contains("Paste the code again"));
        assertTrue(r[1], r[1].contains("Refused: the license code was issued for another database"));
        assertTrue(r[1], r[1].contains("Send this installation's database code to the vendor: DB-7F3A-22C2"));
        Path vendorFile = dir.resolve("from-vendor.txt");
        Files.writeString(vendorFile, code);
        r = dialog(dir.resolve("right"), "DB-7F3A-22C1", vendorFile + "\n");
        assertEquals(r[1] + r[2], "0", r[0]);
        assertTrue(r[1], r[1].contains("License accepted."));
        assertEquals(code, Files.readString(dir.resolve("right/license.txt")));
        r = dialog(dir.resolve("right"), "DB-7F3A-22C1", "");
        assertEquals(r[1] + r[2], "0", r[0]);
        assertFalse(r[1], r[1].contains("Paste"));
    }

    /** A real license-server on loopback serving the vectors' NFR code (50 seats); stopped by close(). */
    static final class SeatServer implements AutoCloseable {
        final Process process;
        final Path dir;
        final String url;
        final byte[] key;

        private SeatServer(Process process, Path dir, String url, byte[] key) {
            this.process = process;
            this.dir = dir;
            this.url = url;
            this.key = key;
        }

        /** Started, or the test skipped when no server is built. */
        static SeatServer start() throws Exception {
            Path exe = Path.of(System.getProperty("licensekit.seatServer",
                REPO.resolve("target/release/license-server").toString()));
            org.junit.Assume.assumeTrue("no license-server at " + exe, Files.isRegularFile(exe));
            Path dir = Files.createTempDirectory("licensekit-seats");
            Path code = dir.resolve("nfr.txt");
            Files.writeString(code, (String) vcase(V1, "nfr-concurrent").get("code"));
            Process server = new ProcessBuilder(exe.toString(), "serve", "--license", code.toString(), "--key",
                (String) V1.get("public_key"), "--product", PRODUCT, "--licensee", LICENSEE, "--listen",
                "127.0.0.1:0", "--data", dir.resolve("data").toString(), "--allow-unbound-license")
                .redirectErrorStream(true).start();
            java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String url = null;
            byte[] key = null;
            for (int i = 0; i < 10 && (url == null || key == null); i++) {
                String line = out.readLine();
                if (line == null) {
                    break;
                }
                if (line.startsWith("listening on ")) {
                    url = line.substring(line.lastIndexOf(' ') + 1);
                }
                if (line.contains("server key ")) {
                    key = hex(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            if (url == null || key == null) {
                server.destroy();
                server.waitFor();
                throw new AssertionError("the server did not start");
            }
            return new SeatServer(server, dir, url, key);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }

    @Test
    public void seatClientAgainstARealServer() throws Exception {
        try (SeatServer s = SeatServer.start()) {
            String url = s.url;
            byte[] key = s.key;
            try (SeatClient client = SeatClient.create(url, PRODUCT, "ws-1", key)) {
                client.setIdentity("anna", "ws-1.acme.lan");
                Records.SeatLease lease = client.acquire(60);
                assertEquals(1, lease.inUse());
                assertEquals(50, lease.limit());
                assertEquals(60, lease.ttlSecs());
                assertTrue(client.holdsSeat());
                assertEquals(1, client.heartbeat().inUse());
                assertTrue(client.borrow(3).borrowed());
                String token = client.token();
                try (SeatClient again = SeatClient.create(url, PRODUCT, "ws-1", key)) {
                    assertTrue(again.adoptToken(token).borrowed());
                    assertTrue(again.holdsSeat());
                }
                assertTrue(client.release());
                assertFalse(client.holdsSeat());
            }
            byte[] otherKey = new byte[32];
            java.util.Arrays.fill(otherKey, (byte) 0x5a);
            try (SeatClient other = SeatClient.create(url, PRODUCT, "ws-2", otherKey)) {
                assertEquals(ResultCode.SEAT_SERVER_UNLICENSED,
                    assertThrows(LicenseException.class, () -> other.acquire(60)).code());
            }
        }
    }

    /** The first server is down (a port bound but not listening: connections are refused);
     *  the client fails over to the second, which answers. */
    @Test
    public void seatClientFailsOverToTheNextServer() throws Exception {
        try (SeatServer s = SeatServer.start(); java.net.Socket down = new java.net.Socket()) {
            down.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            String downUrl = "http://127.0.0.1:" + down.getLocalPort();
            try (SeatClient client = SeatClient.create(downUrl, PRODUCT, "ws-3", s.key)) {
                assertEquals(ResultCode.INVALID_ARGUMENT,
                    assertThrows(LicenseException.class, () -> client.addServer("ftp://127.0.0.1:1")).code());
                assertEquals(ResultCode.SEAT_SERVER_UNREACHABLE,
                    assertThrows(LicenseException.class, () -> client.acquire(60)).code());
                client.addServer(s.url);
                Records.SeatLease lease = client.acquire(60);
                assertEquals(1, lease.inUse());
                assertFalse(lease.serverUnreachable());
                assertEquals(1, client.heartbeat().inUse());
                assertTrue(client.release());
            }
        }
    }

    /** The holder proof: the lease file carries the holder key across a restart; a client
     *  without it (another key) gets nothing back by the holder id alone. */
    @Test
    public void aLeaseFileCarriesTheHolderKeyAcrossARestart() throws Exception {
        try (SeatServer s = SeatServer.start()) {
            String path = s.dir.resolve("ws-9.lease").toString();
            try (SeatClient first = SeatClient.create(s.url, PRODUCT, "ws-9", s.key)) {
                first.setLeaseFile(path);
                first.acquire(60);
            }
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(Path.of(path))));
            try (SeatClient stranger = SeatClient.create(s.url, PRODUCT, "ws-9", s.key)) {
                assertEquals(ResultCode.SEAT_SERVER_REFUSED,
                    assertThrows(LicenseException.class, () -> stranger.acquire(60)).code());
            }
            try (SeatClient again = SeatClient.create(s.url, PRODUCT, "ws-9", s.key)) {
                again.setLeaseFile(path);
                assertEquals(1, again.heartbeat().inUse());
                assertTrue(again.release());
            }
        }
    }
}
