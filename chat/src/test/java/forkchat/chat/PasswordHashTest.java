package forkchat.chat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.*;

class PasswordHashTest {

    private static final int FEW = TestNet.TEST_ITERATIONS;

    private static String ab64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes).replace('+', '.');
    }

    @Test
    void aNewHashIsPbkdf2Sha256With600000IterationsA16ByteSaltAnd32ByteKey() {
        String h = PasswordHash.hash("correct horse".toCharArray());
        assertTrue(h.matches("\\$pbkdf2-sha256\\$600000\\$[A-Za-z0-9./]{22}\\$[A-Za-z0-9./]{43}"), h);
        assertTrue(PasswordHash.verify("correct horse".toCharArray(), h));
        assertFalse(PasswordHash.needsRehash(h));
    }

    @Test
    void theRightPasswordVerifiesAndAnyOtherDoesNot() {
        String h = PasswordHash.hash("s3cret".toCharArray(), FEW);
        assertTrue(PasswordHash.verify("s3cret".toCharArray(), h));
        assertFalse(PasswordHash.verify("s3creT".toCharArray(), h));
        assertFalse(PasswordHash.verify("".toCharArray(), h));
        assertFalse(PasswordHash.verify("s3cret ".toCharArray(), h));
    }

    @Test
    void itAgreesWithAnIndependentPbkdf2Implementation() {
        // Python: hashlib.pbkdf2_hmac("sha256", "pässwörd".encode(), b"0123456789abcdef", 1000, 32)
        String salt = ab64("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        String stored = "$pbkdf2-sha256$1000$" + salt + "$Kfxd4gVEVJAUWyEM9/KuB1B0aQFq.qVyrFi44QnyZ4k";
        assertTrue(PasswordHash.verify("pässwörd".toCharArray(), stored),
                "UTF-8 password bytes, as PBKDF2 tools use");
        assertTrue(PasswordHash.isWellFormed(stored));
    }

    @Test
    void verifyReadsTheWorkFactorFromTheStoredString() {
        String h = PasswordHash.hash("pw".toCharArray(), FEW);
        assertTrue(h.startsWith("$pbkdf2-sha256$1000$"));
        assertTrue(PasswordHash.verify("pw".toCharArray(), h));
        String sameSaltAndKeyOtherCount = h.replace("$1000$", "$1001$");
        assertFalse(PasswordHash.verify("pw".toCharArray(), sameSaltAndKeyOtherCount));
        assertTrue(PasswordHash.needsRehash(h), "fewer iterations than today's");
    }

    @Test
    void everyHashHasItsOwnSalt() {
        String a = PasswordHash.hash("same".toCharArray(), FEW);
        String b = PasswordHash.hash("same".toCharArray(), FEW);
        assertNotEquals(a, b);
        assertTrue(PasswordHash.verify("same".toCharArray(), a));
        assertTrue(PasswordHash.verify("same".toCharArray(), b));
    }

    @Test
    void theStoredStringHoldsNoClearText() {
        String password = "hunter2hunter2";
        String h = PasswordHash.hash(password.toCharArray(), FEW);
        assertFalse(h.contains(password));
        assertFalse(h.contains(ab64(password.getBytes(StandardCharsets.UTF_8)).substring(0, 12)));
    }

    @Test
    void malformedOrForeignHashesNeverVerifyAndAlwaysNeedARehash() {
        String good = PasswordHash.hash("pw".toCharArray(), FEW);
        String[] bad = {
                null, "", "pw", "$2b$12$abcdefghijklmnopqrstuu", "$pbkdf2-sha1$1000$abc$def",
                good.replace("$1000$", "$$"), good.replace("$1000$", "$0$"), good.replace("$1000$", "$-5$"),
                good.replace("$1000$", "$999999999$"), good.replace("$1000$", "$1e3$"), good + "$extra",
                good.substring(0, good.lastIndexOf('$') + 1), good.substring(0, good.lastIndexOf('$')) + "$!!!!",
                good.substring(0, good.lastIndexOf('$')) + "$" + ab64(new byte[8]),
                "$pbkdf2-sha256$1000$+" + good.substring("$pbkdf2-sha256$1000$".length() + 1),
        };
        for (String stored : bad) {
            assertFalse(PasswordHash.verify("pw".toCharArray(), stored), String.valueOf(stored));
            assertTrue(PasswordHash.needsRehash(stored), String.valueOf(stored));
            assertFalse(PasswordHash.isWellFormed(stored), String.valueOf(stored));
        }
    }

    @Test
    void needsRehashIsCheapAndFalseOnlyForTodaysParameters() {
        String today = "$pbkdf2-sha256$600000$" + ab64(new byte[16]) + "$" + ab64(new byte[32]);
        String stronger = "$pbkdf2-sha256$1200000$" + ab64(new byte[16]) + "$" + ab64(new byte[32]);
        String shortSalt = "$pbkdf2-sha256$600000$" + ab64(new byte[8]) + "$" + ab64(new byte[32]);
        String shortKey = "$pbkdf2-sha256$600000$" + ab64(new byte[16]) + "$" + ab64(new byte[16]);
        long start = System.nanoTime();
        assertFalse(PasswordHash.needsRehash(today));
        assertFalse(PasswordHash.needsRehash(stronger));
        assertTrue(PasswordHash.needsRehash(shortSalt));
        assertTrue(PasswordHash.needsRehash(shortKey));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 50, "no key derivation");
    }

    @Test
    void noAccountNeverVerifies() {
        assertFalse(PasswordHash.verify("anything".toCharArray(), null));
    }

    @Test
    void aStoredHashCannotAskForAnUnboundedWorkFactor() {
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.hash("pw".toCharArray(), 0));
        String huge = "$pbkdf2-sha256$" + (PasswordHash.MAX_ITERATIONS + 1) + "$" + ab64(new byte[16]) + "$"
                + ab64(new byte[32]);
        assertFalse(PasswordHash.isWellFormed(huge));
    }
}
