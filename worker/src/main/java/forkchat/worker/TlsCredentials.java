package forkchat.worker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A TLS server certificate chain and its private key, read from the PEM files a certificate
 * authority such as Let's Encrypt issues ({@code fullchain.pem}, {@code privkey.pem}), checked,
 * and turned into an {@link SSLContext}.
 *
 * <p>The key may be PKCS#8 ({@code BEGIN PRIVATE KEY}: what certbot writes, RSA, EC or Ed25519),
 * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}); an encrypted
 * key is refused with the command that decrypts it. Loading checks that the chain's first
 * certificate is the one the key belongs to (a test signature), so a certificate renewed without
 * its key, or the files swapped, fail here with a clear message instead of at the first client's
 * handshake.
 *
 * <p>The fork model's workers read the credentials the supervisor last accepted from a
 * {@link #writeSnapshot snapshot} in the runtime directory, never from the configured files: a
 * certificate takes effect when the supervisor loads it (at start and on SIGHUP), and a broken
 * file found at a reload leaves every worker serving the previous one.
 */
public final class TlsCredentials {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    /** Names of the snapshot files inside the snapshot directory. */
    static final String CHAIN_FILE = "chain.pem";
    static final String KEY_FILE = "key.pem";

    private final List<X509Certificate> chain;
    private final PrivateKey key;
    private final SSLContext context;

    private TlsCredentials(List<X509Certificate> chain, PrivateKey key) throws GeneralSecurityException {
        this.chain = List.copyOf(chain);
        this.key = key;
        this.context = buildContext(chain, key);
    }

    /**
     * Reads and checks a PEM certificate chain (leaf first) and its PEM private key.
     *
     * @throws IOException with a message naming the file and what is wrong with it
     */
    public static TlsCredentials load(Path chainFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = readChain(chainFile);
        PrivateKey key = readKey(keyFile);
        try {
            if (!belongTogether(key, chain.getFirst().getPublicKey())) {
                throw new IOException("the key in " + keyFile + " does not belong to the first certificate in "
                        + chainFile + " (" + chain.getFirst().getSubjectX500Principal().getName() + ")");
            }
            return new TlsCredentials(chain, key);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use " + chainFile + " with " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** Reads the credentials a supervisor wrote with {@link #writeSnapshot} into {@code dir}. */
    public static TlsCredentials loadSnapshot(Path dir) throws IOException {
        return load(dir.resolve(CHAIN_FILE), dir.resolve(KEY_FILE));
    }

    /** The context every TLS connection is served with (TLS 1.2 and 1.3, the JDK's defaults). */
    public SSLContext context() {
        return context;
    }

    /**
     * Runs one whole TLS handshake in memory, this context's server against a client that trusts
     * its certificate, so that the JVM has loaded and compiled what a handshake needs before a
     * client waits for it (a cold JVM's first handshake takes several times as long). For idle
     * fork workers, which have the time.
     */
    public void warmUp() throws IOException {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("self", leaf());
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext clientContext = SSLContext.getInstance("TLS");
            clientContext.init(null, tmf.getTrustManagers(), null);
            javax.net.ssl.SSLEngine client = clientContext.createSSLEngine("localhost", 0);
            client.setUseClientMode(true);
            javax.net.ssl.SSLEngine server = context.createSSLEngine();
            server.setUseClientMode(false);
            handshakeInMemory(client, server);
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS warm-up failed: " + e.getMessage(), e);
        }
    }

    private static void handshakeInMemory(javax.net.ssl.SSLEngine client, javax.net.ssl.SSLEngine server)
            throws IOException {
        int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        java.nio.ByteBuffer toServer = java.nio.ByteBuffer.allocate(size * 4);
        java.nio.ByteBuffer toClient = java.nio.ByteBuffer.allocate(size * 4);
        java.nio.ByteBuffer plain = java.nio.ByteBuffer.allocate(client.getSession().getApplicationBufferSize() * 2);
        java.nio.ByteBuffer none = java.nio.ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 100; round++) {
            step(client, none, toServer, toClient, plain);
            step(server, none, toClient, toServer, plain);
            if (done(client) && done(server)) {
                return;
            }
        }
        throw new IOException("TLS warm-up: the in-memory handshake did not finish");
    }

    /** One engine's turn: run its tasks, write what it wants to send, read what it was sent. */
    private static void step(javax.net.ssl.SSLEngine engine, java.nio.ByteBuffer none, java.nio.ByteBuffer out,
                             java.nio.ByteBuffer in, java.nio.ByteBuffer plain) throws IOException {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        engine.wrap(none, out);
        in.flip();
        plain.clear();
        engine.unwrap(in, plain);
        in.compact();
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static boolean done(javax.net.ssl.SSLEngine engine) {
        javax.net.ssl.SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        return status == javax.net.ssl.SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                || status == javax.net.ssl.SSLEngineResult.HandshakeStatus.FINISHED;
    }

    /** Whether {@code other} holds the same chain and key (a reload that changed nothing). */
    public boolean sameAs(TlsCredentials other) {
        return other != null && chain.equals(other.chain) && java.util.Arrays.equals(key.getEncoded(), other.key.getEncoded());
    }

    /** The server's own certificate. */
    public X509Certificate leaf() {
        return chain.getFirst();
    }

    /** One line for the log: subject, issuer, serial and expiry of the server certificate. */
    public String describe() {
        X509Certificate leaf = leaf();
        return "certificate '" + leaf.getSubjectX500Principal().getName() + "' issued by '"
                + leaf.getIssuerX500Principal().getName() + "', serial " + leaf.getSerialNumber().toString(16)
                + ", valid until " + leaf.getNotAfter().toInstant() + " (" + chain.size() + " in chain, "
                + key.getAlgorithm() + " key)";
    }

    /**
     * A warning when the server certificate is expired or expires within {@code soon}, else null.
     * Loading does not refuse an expired certificate: that is the clients' decision, and a daemon
     * that will not start over an expired certificate helps nobody renew it.
     */
    public String expiryWarning(Instant now, Duration soon) {
        Instant notAfter = leaf().getNotAfter().toInstant();
        if (notAfter.isBefore(now)) {
            return "the TLS certificate expired at " + notAfter + "; clients that check it will refuse to connect";
        }
        if (notAfter.isBefore(now.plus(soon))) {
            return "the TLS certificate expires at " + notAfter + "; renew it and send SIGHUP";
        }
        return null;
    }

    /**
     * Writes the chain and the key (as PKCS#8) into {@code dir}, each file replaced atomically
     * and readable by this user only; the directory is created 0700 when missing.
     */
    public void writeSnapshot(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        StringBuilder pem = new StringBuilder();
        try {
            for (X509Certificate c : chain) {
                pem.append(pem("CERTIFICATE", c.getEncoded()));
            }
        } catch (CertificateException e) {
            throw new IOException("cannot encode the certificate chain: " + e.getMessage(), e);
        }
        writePrivately(dir.resolve(CHAIN_FILE), pem.toString());
        writePrivately(dir.resolve(KEY_FILE), pem("PRIVATE KEY", key.getEncoded()));
    }

    // ------------------------------------------------------------------ reading

    private static List<X509Certificate> readChain(Path file) throws IOException {
        List<Block> blocks = blocks(file);
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks) {
                if (b.type.equals("CERTIFICATE")) {
                    Collection<? extends Certificate> got = factory.generateCertificates(new ByteArrayInputStream(b.der));
                    for (Certificate c : got) {
                        chain.add((X509Certificate) c);
                    }
                }
            }
        } catch (CertificateException e) {
            throw new IOException(file + ": not a valid certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException(file + ": no PEM certificate (BEGIN CERTIFICATE) in it");
        }
        return chain;
    }

    private static PrivateKey readKey(Path file) throws IOException {
        for (Block b : blocks(file)) {
            switch (b.type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, b.der);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(file, Der.pkcs8(Der.RSA_ENCRYPTION, Der.NULL, b.der));
                }
                case "EC PRIVATE KEY" -> {
                    byte[] curve = Der.sec1Curve(b.der);
                    if (curve == null) {
                        throw new IOException(file + ": the EC key does not name its curve; convert it with"
                                + " 'openssl pkcs8 -topk8 -nocrypt -in KEY'");
                    }
                    return pkcs8(file, Der.pkcs8(Der.EC_PUBLIC_KEY, curve, b.der));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException(file + ": the key is encrypted; forkchatd needs"
                        + " it unencrypted (openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem) and readable by"
                        + " its user only");
                default -> {
                    // parameters (BEGIN EC PARAMETERS) and certificates may sit beside the key
                }
            }
        }
        throw new IOException(file + ": no PEM private key (BEGIN PRIVATE KEY) in it");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // not this algorithm: try the next
            }
        }
        throw new IOException(file + ": the private key is not an RSA, EC or EdDSA key this JDK can read");
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException(file + ": permission denied (the daemon's user must be able to read it)", e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(file + ": not a PEM file (it is binary; DER files convert with openssl)", e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": the " + m.group(1) + " block is not valid base64", e);
            }
        }
        if (blocks.isEmpty()) {
            throw new IOException(file + ": not a PEM file (no -----BEGIN ...----- block)");
        }
        return blocks;
    }

    // ------------------------------------------------------------------ checking and building

    /** Whether {@code key} signs what {@code publicKey} verifies. */
    private static boolean belongTogether(PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())
                && !(key.getAlgorithm().startsWith("Ed") && publicKey.getAlgorithm().startsWith("Ed"))) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        Signature signer = signature(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = signature(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(probe);
        try {
            return verifier.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;
        }
    }

    private static Signature signature(String algorithm) throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm);
        if (algorithm.equals("RSASSA-PSS")) {
            s.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                    java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
        }
        return s;
    }

    private static SSLContext buildContext(List<X509Certificate> chain, PrivateKey key) throws GeneralSecurityException {
        char[] password = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, password);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        store.setKeyEntry("server", key, password, chain.toArray(new Certificate[0]));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    // ------------------------------------------------------------------ writing

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void writePrivately(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Just enough DER to turn the traditional OpenSSL key formats into PKCS#8, which the JDK
     * reads: {@code PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING key }}.
     */
    static final class Der {

        /** OID 1.2.840.113549.1.1.1 (rsaEncryption). */
        static final byte[] RSA_ENCRYPTION = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
        /** OID 1.2.840.10045.2.1 (id-ecPublicKey). */
        static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
        static final byte[] NULL = {0x05, 0x00};

        private Der() {
        }

        static byte[] pkcs8(byte[] algorithm, byte[] parameters, byte[] key) {
            byte[] version = {0x02, 0x01, 0x00};
            byte[] algorithmId = tlv(0x30, concat(algorithm, parameters));
            return tlv(0x30, concat(version, algorithmId, tlv(0x04, key)));
        }

        /**
         * The curve OID (as a whole TLV) of a SEC1 {@code ECPrivateKey ::= SEQUENCE { INTEGER 1,
         * OCTET STRING, [0] parameters OPTIONAL, [1] publicKey OPTIONAL }}, or null.
         */
        static byte[] sec1Curve(byte[] der) throws IOException {
            int[] outer = header(der, 0, 0x30);
            int pos = outer[0];
            int end = pos + outer[1];
            while (pos < end) {
                int tag = der[pos] & 0xff;
                int[] h = header(der, pos, tag);
                if (tag == 0xa0) {
                    int inner = h[0];
                    int[] oid = header(der, inner, 0x06);
                    byte[] tlv = new byte[oid[0] + oid[1] - inner];
                    System.arraycopy(der, inner, tlv, 0, tlv.length);
                    return tlv;
                }
                pos = h[0] + h[1];
            }
            return null;
        }

        /** {contents offset, contents length} of the TLV at {@code pos}, which must have {@code tag}. */
        private static int[] header(byte[] der, int pos, int tag) throws IOException {
            if (pos + 2 > der.length || (der[pos] & 0xff) != tag) {
                throw new IOException("malformed key (DER)");
            }
            int len = der[pos + 1] & 0xff;
            int at = pos + 2;
            if (len > 0x80) {
                int n = len - 0x80;
                if (n > 3 || at + n > der.length) {
                    throw new IOException("malformed key (DER length)");
                }
                len = new BigInteger(1, java.util.Arrays.copyOfRange(der, at, at + n)).intValue();
                at += n;
            } else if (len == 0x80) {
                throw new IOException("malformed key (indefinite DER length)");
            }
            if (at + len > der.length) {
                throw new IOException("malformed key (truncated)");
            }
            return new int[] {at, len};
        }

        private static byte[] tlv(int tag, byte[] contents) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 6);
            out.write(tag);
            int len = contents.length;
            if (len < 0x80) {
                out.write(len);
            } else if (len < 0x100) {
                out.write(0x81);
                out.write(len);
            } else if (len < 0x10000) {
                out.write(0x82);
                out.write(len >> 8);
                out.write(len);
            } else {
                out.write(0x83);
                out.write(len >> 16);
                out.write(len >> 8);
                out.write(len);
            }
            out.writeBytes(contents);
            return out.toByteArray();
        }

        private static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] p : parts) {
                out.writeBytes(p);
            }
            return out.toByteArray();
        }
    }
}
