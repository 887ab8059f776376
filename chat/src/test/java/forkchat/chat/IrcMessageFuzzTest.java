package forkchat.chat;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the IRC parser and formatter ({@link Fuzzing} says how to run it longer). Invariants for
 * any line: parsing throws nothing but IllegalArgumentException; so does formatting what was
 * parsed (formatting is strict by design); when it formats, parsing that text gives the same
 * message back, and formatting is then stable.
 */
class IrcMessageFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void parseAndFormatRoundTrip(byte[] input) {
        String line = SessionContext.clean(Utf8.decodeLenient(input));
        IrcMessage parsed;
        try {
            parsed = IrcMessage.parse(line);
        } catch (IllegalArgumentException e) {
            return;
        }
        assertFalse(parsed.command().isEmpty());
        assertTrue(parsed.paramCount() <= IrcMessage.MAX_PARAMS, line);
        for (int i = 0; i < parsed.paramCount() - 1; i++) {
            String p = parsed.param(i);
            assertFalse(p.isEmpty() || p.indexOf(' ') >= 0 || p.startsWith(":"), "middle parameter " + i + ": " + line);
        }
        String formatted;
        try {
            formatted = parsed.format();
        } catch (IllegalArgumentException e) {
            return;
        }
        IrcMessage again = IrcMessage.parse(formatted);
        assertEquals(parsed, again, () -> "'" + line + "' formatted as '" + formatted + "'");
        assertEquals(formatted, again.format());
    }
}
