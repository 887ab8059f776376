package forkchat.ipc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Start-up verification of the log, run by the supervisor before any worker exists.
 * CONTRACT ONLY: implemented by the ipc work.
 */
public final class LogRecovery {

    /** A stretch of bytes that is not a whole, valid record. */
    public record Damage(long offset, long length, String reason) {
    }

    /**
     * @param records          whole valid records found
     * @param validEnd         offset just after the last valid record
     * @param truncatedBytes   bytes of torn tail removed (0 if none)
     * @param corrupt          corrupt stretches in the middle (kept in the file, never served)
     */
    public record Report(long records, long validEnd, long truncatedBytes, List<Damage> corrupt) {
    }

    private LogRecovery() {
    }

    /**
     * Under LOCK_EX: scans the whole log (creating it if absent), truncates a torn tail (an
     * incomplete or invalid stretch after the last valid record) and reports corrupt stretches
     * that are followed by valid records.
     */
    public static Report recover(Path file) throws IOException {
        throw new UnsupportedOperationException("contract");
    }
}
