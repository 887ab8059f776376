package forkchat.chat;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Where the slow part of a login runs: the password derivation ({@link PasswordHash}, about
 * 0.15 s of CPU). A host whose session has a thread of its own (a fork worker, a thread, a virtual
 * thread) checks {@link #INLINE}; an event loop, whose one thread serves everyone, hands the
 * derivation to another thread and calls back on its own, so that nobody else waits for it.
 * While a check is out the session holds the client's further lines and handles them, in order,
 * once the result is in.
 */
@FunctionalInterface
public interface PasswordChecker {

    /**
     * Verifies {@code password} against {@code stored} (null: no such account, which must cost the
     * same derivation), wipes {@code password}, and calls {@code done} with the result on the
     * session's thread — possibly before this method returns.
     */
    void check(char[] password, String stored, Consumer<Boolean> done);

    /** On the calling thread. */
    PasswordChecker INLINE = (password, stored, done) -> done.accept(verifyAndWipe(password, stored));

    /** The derivation itself, for checkers that run it elsewhere; wipes {@code password}. */
    static boolean verifyAndWipe(char[] password, String stored) {
        try {
            return PasswordHash.verify(password, stored);
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
