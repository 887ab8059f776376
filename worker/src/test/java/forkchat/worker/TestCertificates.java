package forkchat.worker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Real certificates for tests, made with the JDK's keytool the way a small CA would: a CA
 * certificate, and a server certificate for localhost and 127.0.0.1 signed by it. Written as the
 * PEM files Let's Encrypt hands out: {@code NAME-fullchain.pem} (server, then CA) and
 * {@code NAME-privkey.pem} (PKCS#8). A client trusts the CA with {@link #clientContext()}.
 */
public final class TestCertificates {

    private static final String PASSWORD = "testpass";

    public final Path chain;
    public final Path key;
    public final X509Certificate leaf;
    public final X509Certificate ca;
    public final PrivateKey privateKey;

    private TestCertificates(Path chain, Path key, X509Certificate leaf, X509Certificate ca, PrivateKey privateKey) {
        this.chain = chain;
        this.key = key;
        this.leaf = leaf;
        this.ca = ca;
        this.privateKey = privateKey;
    }

    /** Issues a fresh CA and server certificate into {@code dir}; {@code keyalg} is EC or RSA. */
    public static TestCertificates issue(Path dir, String name, String keyalg) throws IOException {
        Path store = dir.resolve(name + ".p12");
        Path csr = dir.resolve(name + ".csr");
        Path signed = dir.resolve(name + "-cert.pem");
        List<String> alg = keyalg.equals("EC") ? List.of("-keyalg", "EC", "-groupname", "secp256r1")
                : List.of("-keyalg", "RSA", "-keysize", "2048");
        keytool(join(List.of("-genkeypair", "-alias", "ca", "-dname", "CN=forkchat test CA " + name, "-ext", "bc:c",
                "-validity", "3"), alg, storeArgs(store)));
        keytool(join(List.of("-genkeypair", "-alias", "server", "-dname", "CN=localhost", "-validity", "3"), alg,
                storeArgs(store)));
        keytool(join(List.of("-certreq", "-alias", "server", "-file", csr.toString()), storeArgs(store)));
        keytool(join(List.of("-gencert", "-alias", "ca", "-infile", csr.toString(), "-outfile", signed.toString(),
                "-rfc", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "3"), storeArgs(store)));
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            PrivateKey privateKey = (PrivateKey) ks.getKey("server", PASSWORD.toCharArray());
            X509Certificate ca = (X509Certificate) ks.getCertificate("ca");
            X509Certificate leaf = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(Files.newInputStream(signed)).iterator().next();
            Path chain = dir.resolve(name + "-fullchain.pem");
            Path key = dir.resolve(name + "-privkey.pem");
            Files.writeString(chain, pem("CERTIFICATE", leaf.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()));
            Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded()));
            return new TestCertificates(chain, key, leaf, ca, privateKey);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** A client TLS context that trusts this CA only. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static List<String> storeArgs(Path store) {
        return List.of("-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass",
                PASSWORD, "-noprompt");
    }

    @SafeVarargs
    private static List<String> join(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all;
    }

    private static void keytool(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            p.getInputStream().transferTo(out);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool did not finish: " + command);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool failed (" + p.exitValue() + "): " + out.toString(StandardCharsets.UTF_8));
        }
    }
}
