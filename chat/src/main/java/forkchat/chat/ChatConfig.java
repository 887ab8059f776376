package forkchat.chat;

import java.util.List;

/**
 * The settings the chat core reads. Built by the daemon's settings catalog; every field is
 * documented there once.
 */
public record ChatConfig(
        String serverName,
        String network,
        String version,
        String createdAt,
        List<String> motd,
        int historyOnJoin,
        long pingIntervalMillis,
        long pingTimeoutMillis,
        long registrationTimeoutMillis,
        int maxChannelsPerClient) {

    /** Defaults for tests. */
    public static ChatConfig defaults() {
        return new ChatConfig("forkchat.local", "forkchat", "forkchat-0.1", "today", List.of(),
                50, 90_000, 120_000, 60_000, 50);
    }
}
