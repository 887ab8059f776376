package forkchat.client.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SaslPlainTest {

    private static String decode(List<String> lines) {
        StringBuilder b64 = new StringBuilder();
        for (String l : lines) {
            String part = l.substring("AUTHENTICATE ".length());
            if (!part.equals("+")) {
                b64.append(part);
            }
        }
        return new String(Base64.getDecoder().decode(b64.toString()), StandardCharsets.UTF_8);
    }

    @Test
    void shortCredentialsFitOneLine() {
        List<String> lines = SaslPlain.responseLines("carol", "pw");
        assertEquals(List.of("AUTHENTICATE " + Base64.getEncoder().encodeToString("carol\0carol\0pw".getBytes())), lines);
    }

    @Test
    void longCredentialsAreSentIn400ByteChunks() {
        String password = "p".repeat(500);
        List<String> lines = SaslPlain.responseLines("carol", password);
        assertTrue(lines.size() >= 2);
        for (int i = 0; i < lines.size() - 1; i++) {
            assertEquals(400, lines.get(i).length() - "AUTHENTICATE ".length());
        }
        assertTrue(lines.get(lines.size() - 1).length() - "AUTHENTICATE ".length() < 400);
        assertEquals("carol\0carol\0" + password, decode(lines));
    }

    @Test
    void aPayloadOfExactly400BytesIsEndedByAPlus() {
        List<String> lines = SaslPlain.chunks("A".repeat(400));
        assertEquals(List.of("AUTHENTICATE " + "A".repeat(400), "AUTHENTICATE +"), lines);
        List<String> two = SaslPlain.chunks("B".repeat(800));
        assertEquals(3, two.size());
        assertEquals("AUTHENTICATE +", two.get(2));
    }

    @Test
    void anEmptyPayloadIsAPlus() {
        assertEquals(List.of("AUTHENTICATE +"), SaslPlain.chunks(""));
    }

    @Test
    void nonAsciiCredentialsAreUtf8() {
        assertEquals("zoë\0zoë\0pässwörd", decode(SaslPlain.responseLines("zoë", "pässwörd")));
    }
}
