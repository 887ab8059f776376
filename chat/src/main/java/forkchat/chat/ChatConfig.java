package forkchat.chat;

import java.util.List;

/**
 * The settings the chat core reads. Built by the daemon's settings catalog; every field is
 * documented there once.
 *
 * @param auth                who may register which nick
 * @param offlineDeliveryMax  most messages delivered to an account that reconnects ({@link OfflineDelivery})
 * @param floodLineCostMillis penalty each client line adds ({@link FloodControl}); 0 turns flood control off
 * @param floodBurstLines     lines a client may send at once before its reading is delayed
 * @param floodExcessMillis   penalty beyond the burst at which the client is disconnected (Excess Flood)
 * @param loginRequiresTls    accounts mode: no SASL or PASS on a connection the host does not call secure
 *                            (TLS, or from loopback)
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
        int maxChannelsPerClient,
        AuthMode auth,
        int offlineDeliveryMax,
        long floodLineCostMillis,
        int floodBurstLines,
        long floodExcessMillis,
        boolean loginRequiresTls) {

    /** Default of {@link #offlineDeliveryMax}. */
    public static final int DEFAULT_OFFLINE_DELIVERY_MAX = 200;

    /** Default of {@link #floodLineCostMillis}: two lines a second, sustained. */
    public static final long DEFAULT_FLOOD_LINE_COST_MILLIS = 500;

    /** Default of {@link #floodBurstLines}. */
    public static final int DEFAULT_FLOOD_BURST_LINES = 10;

    /** Default of {@link #floodExcessMillis}: 20 lines beyond the burst, at the default cost. */
    public static final long DEFAULT_FLOOD_EXCESS_MILLIS = 10_000;

    /** Settings whose logins are allowed on any connection the host calls secure (the default). */
    public ChatConfig(String serverName, String network, String version, String createdAt, List<String> motd,
                      int historyOnJoin, long pingIntervalMillis, long pingTimeoutMillis,
                      long registrationTimeoutMillis, int maxChannelsPerClient, AuthMode auth,
                      int offlineDeliveryMax, long floodLineCostMillis, int floodBurstLines, long floodExcessMillis) {
        this(serverName, network, version, createdAt, motd, historyOnJoin, pingIntervalMillis, pingTimeoutMillis,
                registrationTimeoutMillis, maxChannelsPerClient, auth, offlineDeliveryMax, floodLineCostMillis,
                floodBurstLines, floodExcessMillis, true);
    }

    public ChatConfig {
        if (auth == null) {
            auth = AuthMode.OPEN;
        }
    }

    /** Defaults for tests. */
    public static ChatConfig defaults() {
        return new ChatConfig("forkchat.local", "forkchat", "forkchat-0.1", "today", List.of(),
                50, 90_000, 120_000, 60_000, 50, AuthMode.OPEN, DEFAULT_OFFLINE_DELIVERY_MAX,
                DEFAULT_FLOOD_LINE_COST_MILLIS, DEFAULT_FLOOD_BURST_LINES, DEFAULT_FLOOD_EXCESS_MILLIS);
    }

    /** The same settings in another auth mode. */
    public ChatConfig withAuth(AuthMode mode) {
        return new ChatConfig(serverName, network, version, createdAt, motd, historyOnJoin, pingIntervalMillis,
                pingTimeoutMillis, registrationTimeoutMillis, maxChannelsPerClient, mode, offlineDeliveryMax,
                floodLineCostMillis, floodBurstLines, floodExcessMillis, loginRequiresTls);
    }
}
