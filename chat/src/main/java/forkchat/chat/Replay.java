package forkchat.chat;

/**
 * Sends a stored message again, later than it was written: channel history on JOIN and offline
 * delivery share it. The line comes from the message's stored source, with the entry's original
 * time as the {@code time} tag (server-time) or, for clients without it, as a
 * {@code [YYYY-MM-DD HH:MM:SS UTC] } prefix of the text (inside a CTCP ACTION, so that it stays an
 * action). CTCP requests other than ACTION are not replayed: clients would answer them again.
 */
final class Replay {

    private Replay() {
    }

    /**
     * Sends {@code entry}'s message to {@code target} as shown now (the channel's current name, or
     * the recipient's current nick). Returns false when the message was not replayable.
     */
    static boolean send(SessionContext s, Entry entry, String target) {
        if (!(entry.event() instanceof Event.Message msg) || !replayable(msg)) {
            return false;
        }
        String text = msg.text() == null ? "" : msg.text();
        String head = ":" + msg.source() + (msg.notice() ? " NOTICE " : " PRIVMSG ") + target + " :";
        if (!s.caps.has(Capabilities.SERVER_TIME)) {
            text = stamped(text, Timestamps.stamp(entry.timeMillis()));
        }
        s.sendFromEntry(entry, head + Replies.fit(head, text));
        return true;
    }

    private static String stamped(String text, String stamp) {
        String action = "\u0001ACTION ";
        if (text.startsWith(action)) {
            return action + stamp + text.substring(action.length());
        }
        return stamp + text;
    }

    /** Whether {@code msg} may be sent again: not a CTCP request other than ACTION. */
    static boolean replayable(Event.Message msg) {
        String text = msg.text() == null ? "" : msg.text();
        return !text.startsWith("\u0001") || text.startsWith("\u0001ACTION");
    }
}
