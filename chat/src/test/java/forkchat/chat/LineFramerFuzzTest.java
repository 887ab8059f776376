package forkchat.chat;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the line framer ({@link Fuzzing} says how to run it longer). The first input byte picks
 * how the rest is cut into reads. Invariants: no line holds an LF; no line with its LF is longer
 * than its limit; what comes out does not depend on how the bytes were cut into reads; the bytes held back
 * stay within the buffer.
 */
class LineFramerFuzzTest {

    /** What a framer reported, in order: a line's bytes, or null for "too long". */
    private static List<byte[]> frame(byte[] bytes, int from, int chunk) {
        List<byte[]> out = new ArrayList<>();
        LineFramer framer = new LineFramer(new LineFramer.Handler() {
            @Override
            public void line(byte[] line) {
                out.add(line);
            }

            @Override
            public void tooLong() {
                out.add(null);
            }
        });
        for (int i = from; i < bytes.length; i += chunk) {
            framer.feed(ByteBuffer.wrap(bytes, i, Math.min(chunk, bytes.length - i)));
            assertTrue(framer.pending() <= LineFramer.MAX_TAGGED_LINE);
        }
        return out;
    }

    @FuzzTest(maxDuration = "10m")
    void framingDoesNotDependOnHowBytesArrive(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int chunk = 1 + (input[0] & 0xff) % 64;
        List<byte[]> whole = frame(input, 1, Math.max(1, input.length));
        List<byte[]> cut = frame(input, 1, chunk);
        assertEquals(whole.size(), cut.size());
        for (int i = 0; i < whole.size(); i++) {
            byte[] line = whole.get(i);
            if (line == null) {
                assertNull(cut.get(i));
                continue;
            }
            assertArrayEquals(line, cut.get(i));
            for (byte b : line) {
                assertNotEquals((byte) '\n', b);
            }
            int limit = line.length > 0 && line[0] == '@' ? LineFramer.MAX_TAGGED_LINE : LineFramer.MAX_LINE;
            // the line, its CR if it had one, and the LF fit the limit
            assertTrue(line.length + 1 <= limit,
                    "line of " + line.length + " bytes: " + Arrays.toString(Arrays.copyOf(line, 16)));
        }
    }
}
