package forkchat.worker;

/**
 * The control lines spoken on the handoff socket between the supervisor and a worker JVM. One
 * line each, space-separated words; the last field may contain spaces.
 *
 * <pre>
 * worker → supervisor   HELLO pid              registered and idle, ready for a client
 *                       REGISTERED nick        its client completed IRC registration
 *                       NICK nick              its client changed nick
 *                       AUTHFAIL               its client failed a login (the address is counted)
 *                       QUITLOST reason        the session ended but the log refused its Quit:
 *                                              the supervisor must write it (it retries)
 *                       BYE reason             the session ended (its Quit is in the log unless
 *                                              QUITLOST came first)
 * supervisor → worker   CLIENT session host port tls|plain   (with the client's socket, SCM_RIGHTS;
 *                                              tls: it came through the TLS listener)
 *                       STOP reason            tell the client (ERROR :reason) and exit
 * </pre>
 *
 * EOF on the connection means the other side is gone: a worker then tells its client and exits;
 * the supervisor waits for the worker's process to end and reaps it.
 */
public final class HandoffProtocol {

    public static final String HELLO = "HELLO";
    public static final String REGISTERED = "REGISTERED";
    public static final String NICK = "NICK";
    public static final String BYE = "BYE";
    public static final String QUITLOST = "QUITLOST";
    public static final String AUTHFAIL = "AUTHFAIL";
    public static final String CLIENT = "CLIENT";
    public static final String STOP = "STOP";
    /** The last word of CLIENT for a connection to the TLS listener ({@link #PLAIN} otherwise). */
    public static final String TLS = "tls";
    public static final String PLAIN = "plain";

    /** What a client is told when the daemon stops. */
    public static final String SHUTDOWN_REASON = "Server shutting down";

    private HandoffProtocol() {
    }

    /** The first word of a control line. */
    public static String verb(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(0, space);
    }

    /**
     * A CLIENT order: the client's session, host and port, and whether it came through the TLS
     * listener. The supervisor writes it ({@link #line}); the worker, and its rehearsal, read it
     * ({@link #parse}).
     */
    public record ClientOrder(String session, String host, String port, boolean tls) {

        /** {@code CLIENT session host port tls|plain}. */
        public String line() {
            return CLIENT + " " + session + " " + host + " " + port + " " + (tls ? TLS : PLAIN);
        }

        /**
         * The order {@code line} gives, or null when it is not a CLIENT order.
         *
         * @throws IllegalArgumentException for a CLIENT order without its session, host and port
         */
        public static ClientOrder parse(String line) {
            if (!CLIENT.equals(verb(line))) {
                return null;
            }
            String[] words = rest(line).split(" ");
            if (words.length < 3) {
                throw new IllegalArgumentException("malformed handoff order: " + line);
            }
            return new ClientOrder(words[0], words[1], words[2], words.length > 3 && words[3].equals(TLS));
        }
    }

    /** Everything after the first word (empty if none). */
    public static String rest(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? "" : line.substring(space + 1);
    }
}
