package forkchat.client.irc;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text prefix {@code [YYYY-MM-DD HH:MM:SS UTC] } with which forkchatd marks replayed history
 * for clients that did not enable {@code server-time}. Recognised so that such lines are shown
 * as history at their own time, without the prefix.
 *
 * @param time when the message was originally sent
 * @param text the message without the prefix
 */
public record HistoryStamp(Instant time, String text) {

    private static final Pattern PREFIX =
            Pattern.compile("^\\[(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}) UTC\\] ");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** The stamp at the start of {@code text}, or null when it has none. */
    public static HistoryStamp parse(String text) {
        Matcher m = PREFIX.matcher(text);
        if (!m.find()) {
            return null;
        }
        try {
            Instant time = LocalDateTime.parse(m.group(1), FORMAT).toInstant(ZoneOffset.UTC);
            return new HistoryStamp(time, text.substring(m.end()));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
