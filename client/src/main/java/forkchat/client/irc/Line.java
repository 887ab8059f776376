package forkchat.client.irc;

import java.time.Instant;

/**
 * One thing the user is shown: a message, an action, a join, a server reply. The session turns
 * server lines into these and the screen renders them; nothing here knows about terminals, so
 * the whole display logic is testable by comparing lines.
 *
 * @param time      when it happened (the server's time when it said, else when it arrived)
 * @param kind      what happened
 * @param context   the channel or, in a private conversation, the other person's nick; null for
 *                  lines that belong to no conversation (server replies, connection state)
 * @param nick      who did it (the sender, the one who joined...), or null
 * @param text      the message, the reason, the new topic or the information shown
 * @param detail    secondary text: user@host on a join, the new nick on a nick change, the
 *                  kicker on a kick; null when there is none
 * @param own       the user did it (their message, their join)
 * @param direct    part of a private conversation rather than a channel
 * @param history   replayed by the server from before this connection, not live
 * @param highlight mentions the user's nick (and was not sent by them)
 */
public record Line(Instant time, Kind kind, String context, String nick, String text, String detail,
                   boolean own, boolean direct, boolean history, boolean highlight) {

    /** What a line reports. */
    public enum Kind {
        MESSAGE, ACTION, NOTICE, JOIN, PART, QUIT, KICK, NICK, TOPIC, MODE, INFO, ERROR
    }

    public Line {
        if (time == null || kind == null) {
            throw new NullPointerException("time and kind are required");
        }
        text = text == null ? "" : text;
    }

    /** A line of information from the server or the client itself. */
    public static Line info(Instant time, String text) {
        return new Line(time, Kind.INFO, null, null, text, null, false, false, false, false);
    }

    /** Something went wrong: a refused command, a lost connection. */
    public static Line error(Instant time, String text) {
        return new Line(time, Kind.ERROR, null, null, text, null, false, false, false, false);
    }

    /** An event (join, part, nick change...) in {@code context} by {@code nick}. */
    public static Line event(Instant time, Kind kind, String context, String nick, String text, String detail,
                             boolean own) {
        return new Line(time, kind, context, nick, text, detail, own, false, false, false);
    }

    public Line asHistory() {
        return new Line(time, kind, context, nick, text, detail, own, direct, true, highlight);
    }
}
