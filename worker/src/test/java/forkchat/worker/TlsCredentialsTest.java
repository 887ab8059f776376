package forkchat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the PEM files a CA issues, in the formats found in the wild, and refusing broken ones clearly. */
class TlsCredentialsTest {

    @TempDir
    static Path dir;
    static TestCertificates ec;
    static TestCertificates rsa;

    @BeforeAll
    static void issue() throws IOException {
        ec = TestCertificates.issue(dir, "ec", "EC");
        rsa = TestCertificates.issue(dir, "rsa", "RSA");
    }

    @Test
    void loadsAFullChainAndAPkcs8Key() throws IOException {
        for (TestCertificates c : new TestCertificates[] {ec, rsa}) {
            TlsCredentials loaded = TlsCredentials.load(c.chain, c.key);
            assertEquals(c.leaf, loaded.leaf());
            assertTrue(loaded.describe().contains("CN=localhost"), loaded.describe());
            assertTrue(loaded.describe().contains("2 in chain"), loaded.describe());
            assertNotNull(loaded.context().createSSLEngine());
            loaded.warmUp(); // a whole handshake against itself, in memory
        }
    }

    @Test
    void loadsTraditionalOpenSslKeys() throws Exception {
        // PKCS#1 (BEGIN RSA PRIVATE KEY) and SEC1 (BEGIN EC PRIVATE KEY), as older tools write them
        Path pkcs1 = traditional(rsa.key, "rsa-pkcs1.pem");
        assertTrue(Files.readString(pkcs1).contains("BEGIN RSA PRIVATE KEY"));
        assertEquals(rsa.leaf, TlsCredentials.load(rsa.chain, pkcs1).leaf());
        Path sec1 = traditional(ec.key, "ec-sec1.pem");
        assertTrue(Files.readString(sec1).contains("BEGIN EC PRIVATE KEY"));
        assertEquals(ec.leaf, TlsCredentials.load(ec.chain, sec1).leaf());
    }

    @Test
    void refusesAKeyOfAnotherCertificate() {
        IOException e = assertThrows(IOException.class, () -> TlsCredentials.load(ec.chain, rsa.key));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
        TestCertificates other = assertDoesNotThrowIssue("other");
        e = assertThrows(IOException.class, () -> TlsCredentials.load(ec.chain, other.key));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void refusesBrokenFilesNamingThem() throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "this is not a certificate\n");
        IOException e = assertThrows(IOException.class, () -> TlsCredentials.load(garbage, ec.key));
        assertTrue(e.getMessage().contains(garbage.toString()) && e.getMessage().contains("not a PEM file"), e.getMessage());

        e = assertThrows(IOException.class, () -> TlsCredentials.load(dir.resolve("missing.pem"), ec.key));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());

        e = assertThrows(IOException.class, () -> TlsCredentials.load(ec.key, ec.key));
        assertTrue(e.getMessage().contains("no PEM certificate"), e.getMessage());

        e = assertThrows(IOException.class, () -> TlsCredentials.load(ec.chain, ec.chain));
        assertTrue(e.getMessage().contains("no PEM private key"), e.getMessage());

        Path encrypted = Files.writeString(dir.resolve("enc.pem"),
                TestCertificates.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}));
        e = assertThrows(IOException.class, () -> TlsCredentials.load(ec.chain, encrypted));
        assertTrue(e.getMessage().contains("encrypted"), e.getMessage());

        Path badBase64 = Files.writeString(dir.resolve("bad64.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAA====AAAA\n-----END CERTIFICATE-----\n");
        e = assertThrows(IOException.class, () -> TlsCredentials.load(badBase64, ec.key));
        assertTrue(e.getMessage().contains(badBase64.toString()), e.getMessage());
    }

    @Test
    void snapshotIsPrivateAndLoadsTheSameCredentials() throws IOException {
        Path snapshot = dir.resolve("run/tls");
        TlsCredentials.load(ec.chain, ec.key).writeSnapshot(snapshot);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot)));
        for (String f : new String[] {TlsCredentials.CHAIN_FILE, TlsCredentials.KEY_FILE}) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot.resolve(f))));
        }
        assertEquals(ec.leaf, TlsCredentials.loadSnapshot(snapshot).leaf());
        assertTrue(TlsCredentials.loadSnapshot(snapshot).sameAs(TlsCredentials.load(ec.chain, ec.key)));
        assertFalse(TlsCredentials.loadSnapshot(snapshot).sameAs(TlsCredentials.load(rsa.chain, rsa.key)));
        // replaced in place by the next reload
        TlsCredentials.load(rsa.chain, rsa.key).writeSnapshot(snapshot);
        assertEquals(rsa.leaf, TlsCredentials.loadSnapshot(snapshot).leaf());
    }

    @Test
    void warnsBeforeExpiry() throws IOException {
        TlsCredentials loaded = TlsCredentials.load(ec.chain, ec.key);
        assertNull(loaded.expiryWarning(Instant.now(), Duration.ofHours(1)));
        assertTrue(loaded.expiryWarning(Instant.now(), Duration.ofDays(30)).contains("expires"));
        assertTrue(loaded.expiryWarning(Instant.now().plus(Duration.ofDays(10)), Duration.ofDays(1)).contains("expired"));
    }

    private static TestCertificates assertDoesNotThrowIssue(String name) {
        try {
            return TestCertificates.issue(dir, name, "EC");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Path traditional(Path pkcs8, String name) throws Exception {
        Path openssl = Path.of("/usr/bin/openssl");
        assumeTrue(Files.isExecutable(openssl), "openssl is not installed");
        Path out = dir.resolve(name);
        Process p = new ProcessBuilder(openssl.toString(), "pkey", "-in", pkcs8.toString(), "-traditional", "-out",
                out.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl did not finish");
        assertEquals(0, p.exitValue(), output);
        return out;
    }
}
