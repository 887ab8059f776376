package forkchat.client.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Opens connections to one server: TCP with a connect timeout, then TLS if asked, with the
 * server's certificate checked against the JDK's trust store and the host name (unless
 * {@code insecure}, for self-signed test servers).
 */
public final class Dialer {

    /** How long a TCP connect or a TLS handshake may take. */
    public static final int CONNECT_TIMEOUT_MILLIS = 15_000;

    private final ServerAddress address;
    private final boolean tls;
    private final boolean insecure;

    public Dialer(ServerAddress address, boolean tls, boolean insecure) {
        this.address = address;
        this.tls = tls;
        this.insecure = insecure;
    }

    public ServerAddress address() {
        return address;
    }

    /** A new connection; the caller owns it. */
    public Connection connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setKeepAlive(true);
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address.host(), address.port()), CONNECT_TIMEOUT_MILLIS);
            if (tls) {
                socket = handshake(socket);
            }
            return new Connection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private SSLSocket handshake(Socket plain) throws IOException {
        SSLSocket ssl = (SSLSocket) factory().createSocket(plain, address.host(), address.port(), true);
        SSLParameters params = ssl.getSSLParameters();
        if (!insecure) {
            params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!isIpLiteral(address.host())) {
            params.setServerNames(List.of(new SNIHostName(address.host())));
        }
        ssl.setSSLParameters(params);
        ssl.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
        ssl.startHandshake();
        ssl.setSoTimeout(0);
        return ssl;
    }

    private SSLSocketFactory factory() throws IOException {
        if (!insecure) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustEveryone()}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS: " + e.getMessage(), e);
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    /** --insecure: any certificate is accepted (encryption without authentication). */
    private static final class TrustEveryone implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
