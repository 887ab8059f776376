package forkchat.chat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The two ways a log entry's time is shown: the IRCv3 {@code time} tag and the history text stamp. */
final class Timestamps {

    private static final DateTimeFormatter SERVER_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("'['yyyy-MM-dd HH:mm:ss 'UTC] '").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** {@code 2024-05-01T12:00:00.000Z} (server-time). */
    static String serverTime(long millis) {
        return SERVER_TIME.format(Instant.ofEpochMilli(millis));
    }

    /** {@code [2024-05-01 12:00:00 UTC] } (history text prefix for clients without server-time). */
    static String stamp(long millis) {
        return STAMP.format(Instant.ofEpochMilli(millis));
    }

    /** Seconds since the epoch, as 329 and 333 show them. */
    static String seconds(long millis) {
        return Long.toString(Math.floorDiv(millis, 1000));
    }
}
