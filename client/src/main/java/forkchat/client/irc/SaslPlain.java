package forkchat.client.irc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The client's side of SASL PLAIN over IRC (IRCv3 {@code sasl} capability, RFC 4616): the
 * credentials {@code authzid NUL authcid NUL password}, base64-encoded and sent in
 * {@code AUTHENTICATE} lines of at most 400 bytes. A payload whose last piece is exactly 400
 * bytes (or an empty payload) is ended by {@code AUTHENTICATE +}, so the server knows it is
 * complete.
 */
public final class SaslPlain {

    /** The mechanism name sent in {@code AUTHENTICATE PLAIN}. */
    public static final String MECHANISM = "PLAIN";

    /** Longest piece of base64 in one AUTHENTICATE line. */
    public static final int CHUNK = 400;

    private SaslPlain() {
    }

    /** The AUTHENTICATE lines that carry the credentials of {@code account}. */
    public static List<String> responseLines(String account, String password) {
        byte[] user = account.getBytes(StandardCharsets.UTF_8);
        byte[] pass = password.getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[user.length * 2 + pass.length + 2];
        System.arraycopy(user, 0, message, 0, user.length);
        System.arraycopy(user, 0, message, user.length + 1, user.length);
        System.arraycopy(pass, 0, message, user.length * 2 + 2, pass.length);
        return chunks(Base64.getEncoder().encodeToString(message));
    }

    /** {@code encoded} as AUTHENTICATE lines of at most {@value #CHUNK} bytes, ended by "+" if needed. */
    static List<String> chunks(String encoded) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < encoded.length(); i += CHUNK) {
            lines.add("AUTHENTICATE " + encoded.substring(i, Math.min(encoded.length(), i + CHUNK)));
        }
        if (encoded.length() % CHUNK == 0) {
            lines.add("AUTHENTICATE +");
        }
        return lines;
    }
}
