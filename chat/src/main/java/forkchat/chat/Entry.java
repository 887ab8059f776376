package forkchat.chat;

/**
 * An event as read from the log.
 *
 * @param offset     the record's byte offset: its id (also the IRCv3 msgid)
 * @param timeMillis when it was written (server-time)
 * @param pid        the writing process
 */
public record Entry(long offset, long timeMillis, int pid, Event event) {
}
