package forkchat.chat;

import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.security.auth.DestroyFailedException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * How account passwords are stored: PBKDF2-HMAC-SHA256 (RFC 8018, NIST SP 800-132), from the JDK
 * alone, with {@value #ITERATIONS} iterations (the OWASP 2023 recommendation), a
 * {@value #SALT_BYTES}-byte random salt and a {@value #KEY_BYTES}-byte derived key.
 *
 * <p>A stored hash describes itself, in the Modular Crypt Format that passlib's
 * {@code pbkdf2_sha256} uses (so the store can be checked with standard tools):
 * <pre>
 *   $pbkdf2-sha256$&lt;iterations&gt;$&lt;salt&gt;$&lt;derived key&gt;
 * </pre>
 * where salt and key are "adapted base64": the standard alphabet with '.' for '+', no padding.
 * {@link #verify} reads the iterations, salt and key length from the string, so the work factor
 * can be raised later: old hashes still verify, and {@link #needsRehash} tells which ones to
 * replace at the next password change.
 *
 * <p>Clear text is held no longer than needed: callers pass {@code char[]}, this class zeroes every
 * copy it makes (the password bytes, the derived keys) and the JDK's key spec is cleared. The
 * caller zeroes its own array. Comparison is constant-time ({@link MessageDigest#isEqual}).
 */
public final class PasswordHash {

    /** The scheme name, the first field of every stored hash. */
    public static final String SCHEME = "pbkdf2-sha256";

    /** Iterations of new hashes (OWASP Password Storage Cheat Sheet, 2023, PBKDF2-HMAC-SHA256). */
    public static final int ITERATIONS = 600_000;

    /** Random salt bytes of new hashes. */
    public static final int SALT_BYTES = 16;

    /** Derived key bytes (the SHA-256 output size: longer would only cost the defender). */
    public static final int KEY_BYTES = 32;

    /**
     * Most iterations a stored hash may ask for: a damaged or hostile store must not make one
     * login burn minutes of CPU.
     */
    static final int MAX_ITERATIONS = 100_000_000;

    private static final String PREFIX = "$" + SCHEME + "$";
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Verified when an account does not exist, so that a wrong name costs as much time as a
     * wrong password (no probing for account names by timing). No password derives to a zero key.
     */
    private static final String UNKNOWN_ACCOUNT = PREFIX + ITERATIONS + "$" + ab64(new byte[SALT_BYTES]) + "$"
            + ab64(new byte[KEY_BYTES]);

    private PasswordHash() {
    }

    /** Hashes {@code password} with the current parameters and a fresh random salt. */
    public static String hash(char[] password) {
        return hash(password, ITERATIONS);
    }

    /** Hashes with {@code iterations} (tests use few, to stay fast; production uses {@link #ITERATIONS}). */
    static String hash(char[] password, int iterations) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations out of range: " + iterations);
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] key = derive(password, salt, iterations, KEY_BYTES);
        try {
            return PREFIX + iterations + "$" + ab64(salt) + "$" + ab64(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Whether {@code password} matches {@code stored}. A malformed stored hash never matches (and
     * still costs a full derivation). A null {@code stored} (no such account) costs the same as a
     * real check and returns false.
     */
    public static boolean verify(char[] password, String stored) {
        Parsed p = parse(stored == null ? UNKNOWN_ACCOUNT : stored);
        boolean usable = p != null && stored != null;
        if (p == null) {
            p = parse(UNKNOWN_ACCOUNT);
        }
        byte[] actual = derive(password, p.salt, p.iterations, p.key.length);
        try {
            return MessageDigest.isEqual(actual, p.key) && usable;
        } finally {
            Arrays.fill(actual, (byte) 0);
        }
    }

    /**
     * Whether {@code stored} should be replaced by a new hash of the same password: not this
     * scheme, malformed, or weaker than today's parameters. Cheap: no derivation.
     */
    public static boolean needsRehash(String stored) {
        Parsed p = parse(stored);
        return p == null || p.iterations < ITERATIONS || p.salt.length < SALT_BYTES || p.key.length < KEY_BYTES;
    }

    /** Whether {@code stored} is a hash this class can verify (for checking a store when it is read). */
    public static boolean isWellFormed(String stored) {
        return parse(stored) != null;
    }

    private record Parsed(int iterations, byte[] salt, byte[] key) {
    }

    private static Parsed parse(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return null;
        }
        String[] fields = stored.substring(PREFIX.length()).split("\\$", -1);
        if (fields.length != 3 || fields[0].isEmpty() || fields[0].length() > 9
                || !fields[0].chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int iterations = Integer.parseInt(fields[0]);
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            return null;
        }
        byte[] salt = unab64(fields[1]);
        byte[] key = unab64(fields[2]);
        if (salt == null || key == null || salt.length == 0 || key.length < 16 || key.length > 64) {
            return null;
        }
        return new Parsed(iterations, salt, key);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int keyBytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, keyBytes * 8);
        try {
            SecretKey key = SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec);
            byte[] encoded = key.getEncoded();
            destroy(key);
            return encoded;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Asks the JDK to wipe its copy of the password and key; some providers cannot, and that is all right. */
    private static void destroy(SecretKey key) {
        try {
            key.destroy();
        } catch (DestroyFailedException | UnsupportedOperationException e) {
            // the provider's Cleaner wipes it when the key is collected
        }
    }

    private static String ab64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes).replace('+', '.');
    }

    private static byte[] unab64(String text) {
        if (text.isEmpty() || text.indexOf('+') >= 0 || text.indexOf('=') >= 0) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text.replace('.', '+'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
