package forkchat.chat;

/**
 * What the message log records, as the chat core understands it. Every event is one record; its
 * id is the record's byte offset (see {@link Entry}). Presence (who is online, who is in which
 * channel) is the fold of these events since the last {@link ServerStart} ({@link World}).
 *
 * {@code session} is the id the supervisor gave the connection that wrote the event: unique
 * within one run of the daemon. Nicks and channel names are stored as the client typed them;
 * comparisons use {@link Names#fold}.
 */
public sealed interface Event {

    /**
     * Whether reading this event may make a session other than its writer act at once: send its
     * client a line, or end. Connect and Away only change what later commands answer (WHOIS, the
     * 301 before a private message), so a writer need not wake the other sessions for them: each
     * reads them before its next command, or with whatever wakes it next (who sees what: {@code Delivery}).
     */
    default boolean wakesOthers() {
        return true;
    }

    /** Written by the supervisor once the log is recovered: presence starts again from empty. */
    record ServerStart(String serverName) implements Event {
    }

    /** A connection registered (its nick claim, appended under the exclusive lock). */
    record Connect(String session, String nick, String user, String host, String realname) implements Event {
        @Override
        public boolean wakesOthers() {
            return false;
        }
    }

    /** A registered session changed its nick (claim, under the exclusive lock). */
    record NickChange(String session, String oldNick, String newNick) implements Event {
    }

    record Join(String session, String nick, String channel) implements Event {
    }

    record Part(String session, String nick, String channel, String reason) implements Event {
    }

    /** A session ended. Written by the session itself or, when its worker died, by the supervisor. */
    record Quit(String session, String reason) implements Event {
    }

    record Topic(String session, String nick, String channel, String text) implements Event {
    }

    /**
     * PRIVMSG or NOTICE to a channel or a nick.
     *
     * @param source {@code nick!user@host} of the sender at the time it was sent (kept for history)
     */
    record Message(String session, String source, boolean notice, String target, String text) implements Event {
    }

    /** AWAY: {@code message} empty means back. */
    record Away(String session, String message) implements Event {
        @Override
        public boolean wakesOthers() {
            return false;
        }
    }
}
