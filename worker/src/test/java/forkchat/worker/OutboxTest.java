package forkchat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.ipc.Bell;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OutboxTest {

    private final Bell bell = new Bell();
    private final Outbox outbox = new Outbox(bell::ring);
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final WritableByteChannel out = Channels.newChannel(written);

    @Test
    void linesAreWrittenInOrderWithCrLfAndSendingRingsTheBell() throws Exception {
        outbox.send("first");
        outbox.send("second \u00e9");
        assertTrue(bell.await(0, TimeUnit.MILLISECONDS), "send rang the bell");
        outbox.flush(out);
        assertEquals("first\r\nsecond \u00e9\r\n", written.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aLineLongerThanTheFlushBufferIsStillWrittenWhole() throws IOException {
        String longLine = "x".repeat(20_000);
        outbox.send("a");
        outbox.send(longLine);
        outbox.send("b");
        outbox.flush(out);
        assertEquals("a\r\n" + longLine + "\r\nb\r\n", written.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aClientThatReadsNothingIsCutOffInsteadOfGrowingMemory() {
        String line = "y".repeat(510);
        int fits = Outbox.MAX_QUEUED_BYTES / 512;
        for (int i = 0; i < fits; i++) {
            outbox.send(line);
        }
        assertFalse(outbox.overflowed());
        outbox.send(line);
        assertTrue(outbox.overflowed());
    }

    @Test
    void closeWaitsForWhatWasQueuedBefore() throws IOException {
        outbox.send("ERROR :bye");
        outbox.close();
        assertFalse(outbox.drainedAndClosing(), "the ERROR line is still queued");
        outbox.send("after close is dropped");
        outbox.flush(out);
        assertTrue(outbox.drainedAndClosing());
        assertEquals("ERROR :bye\r\n", written.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aNonBlockingSocketTakesPartOfABatchAndTheRestFollowsInOrder() throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        // a socket that takes at most 7 bytes per write, as a full non-blocking socket would
        WritableByteChannel trickle = channel(src -> take(src, 7, got));
        int[] calls = {0};
        WritableByteChannel stingy = channel(src -> calls[0]++ % 2 == 0 ? trickle.write(src) : 0);
        outbox.send("PRIVMSG #c :one");
        outbox.send("PRIVMSG #c :two");
        outbox.close();
        int rounds = 0;
        while (!outbox.flush(stingy)) {
            assertFalse(outbox.drainedAndClosing(), "a partly written batch is not drained");
            rounds++;
        }
        assertTrue(rounds > 1);
        assertTrue(outbox.drainedAndClosing());
        assertEquals("PRIVMSG #c :one\r\nPRIVMSG #c :two\r\n", got.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBurstIsGatheredIntoFewWritesAndALoneLineIsWrittenAsItIs() throws IOException {
        List<Integer> writes = new ArrayList<>();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        WritableByteChannel counting = channel(src -> {
            int n = take(src, Integer.MAX_VALUE, got);
            writes.add(n);
            return n;
        });
        outbox.send("alone");
        assertTrue(outbox.flush(counting));
        assertEquals(List.of(7), writes);

        // 100 lines of 1,000 bytes with CRLF: 16 fit in a 16 KB batch, so 7 writes, every byte in order
        writes.clear();
        got.reset();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            String line = String.format("%03d", i) + "z".repeat(995);
            outbox.send(line);
            expected.append(line).append("\r\n");
        }
        assertTrue(outbox.flush(counting));
        assertEquals(List.of(16_000, 16_000, 16_000, 16_000, 16_000, 16_000, 4_000), writes);
        assertEquals(expected.toString(), got.toString(StandardCharsets.UTF_8));
    }

    /** What a test channel does with a write. */
    private interface Write {
        int write(ByteBuffer src) throws IOException;
    }

    private static WritableByteChannel channel(Write write) {
        return new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                return write.write(src);
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Takes at most {@code max} bytes of {@code src} into {@code got}; how many it took. */
    private static int take(ByteBuffer src, int max, ByteArrayOutputStream got) {
        int n = Math.min(max, src.remaining());
        byte[] b = new byte[n];
        src.get(b);
        got.write(b, 0, n);
        return n;
    }
}
