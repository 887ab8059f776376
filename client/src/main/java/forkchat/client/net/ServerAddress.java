package forkchat.client.net;

/**
 * Where the IRC server is: {@code HOST[:PORT]}, with {@code [v6addr]:PORT} for IPv6 literals.
 * The port defaults to 6667, or 6697 for TLS (the IANA ircs-u port).
 */
public record ServerAddress(String host, int port) {

    public static final int PLAIN_PORT = 6667;
    public static final int TLS_PORT = 6697;

    public ServerAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Parses {@code HOST[:PORT]}.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    public static ServerAddress parse(String text, boolean tls) {
        String s = text == null ? "" : text.strip();
        int defaultPort = tls ? TLS_PORT : PLAIN_PORT;
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty server address");
        }
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("bad server address " + text + ": no ']'");
            }
            host = s.substring(1, close);
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("bad server address " + text);
                }
                port = s.substring(close + 2);
            }
        } else if (s.indexOf(':') != s.lastIndexOf(':')) {
            host = s; // a bare IPv6 literal
        } else {
            int colon = s.indexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (port == null) {
            return new ServerAddress(host, defaultPort);
        }
        try {
            return new ServerAddress(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in server address " + text + ": " + port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad server address " + text + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
