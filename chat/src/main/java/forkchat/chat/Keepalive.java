package forkchat.chat;

/**
 * The session's timers, driven by {@link Session#tick()} and the injected clock: the registration
 * deadline, the PING sent after {@link ChatConfig#pingIntervalMillis()} of silence, and the ping
 * timeout {@link ChatConfig#pingTimeoutMillis()} after that PING. Any line from the client counts
 * as life (not only PONG), as in most servers.
 */
final class Keepalive {

    /** What a tick found. */
    enum Due { NOTHING, REGISTRATION_TIMEOUT, SEND_PING, PING_TIMEOUT }

    private final ChatConfig config;
    private final long startedAt;
    private long lastLineAt;
    private long pingSentAt = -1;

    Keepalive(ChatConfig config, long now) {
        this.config = config;
        this.startedAt = now;
        this.lastLineAt = now;
    }

    /** A line (any line) came from the client. */
    void heard(long now) {
        lastLineAt = now;
        pingSentAt = -1;
    }

    Due check(long now, boolean registered) {
        if (!registered && now - startedAt >= config.registrationTimeoutMillis()) {
            return Due.REGISTRATION_TIMEOUT;
        }
        if (pingSentAt < 0) {
            if (now - lastLineAt >= config.pingIntervalMillis()) {
                pingSentAt = now;
                return Due.SEND_PING;
            }
            return Due.NOTHING;
        }
        return now - pingSentAt >= config.pingTimeoutMillis() ? Due.PING_TIMEOUT : Due.NOTHING;
    }

    /** Whole seconds of silence, for the ping timeout reason. */
    long silentSeconds(long now) {
        return Math.max(0, (now - lastLineAt) / 1000);
    }
}
