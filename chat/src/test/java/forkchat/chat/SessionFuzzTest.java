package forkchat.chat;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fuzzes the session state machine: two sessions over one {@link MemoryLog} with a fake clock,
 * fed arbitrary lines and host events ({@link Fuzzing} says how to run it longer). Invariants:
 * no exception escapes a session; every line a session writes is a valid IRC line of at most 512
 * bytes without CR, LF or NUL ({@link Fuzzing#checkServerLine}); nothing is written after close;
 * the read delay is never negative. The work is bounded by the input, so a hang is a finding
 * (libFuzzer's {@code -timeout}).
 *
 * <p>Input: LF-separated lines. The first byte of the first line holds flags: bit 0 the accounts
 * mode, bit 1 an offline delivery bound of 2 (else 200), bit 2 flood control off. Every following
 * line starts with an operation byte {@code op}: client {@code op & 1}; then by {@code (op >> 1) & 7}:
 * 0 to 4 the rest is a line from that client, 5 the clock moves (the next byte × 1 s) and the
 * session ticks, 6 a too-long line, 7 the next byte says: 'D' disconnect, 'S' server shutdown,
 * else a catch-up. In printable seeds: 'B' is client 0's line, 'A' client 1's, 'J'/'K' tick 0/1,
 * 'L'/'M' too-long 0/1, 'N'/'O' control 0/1. A closed session is replaced by a new connection the
 * next time it is addressed. Every account exists, with password {@code pw}.
 */
class SessionFuzzTest {

    /** One iteration: a fuzzer wants many logins a second. */
    private static final String HASH = PasswordHash.hash("pw".toCharArray(), 1);

    private static final class Peer implements ClientSink {
        final Session session;
        boolean closed;

        Peer(ChatConfig config, MemoryLog log, AtomicLong clock, String id) {
            World world = new World();
            Journal journal = log.journal();
            journal.catchUp(world::apply);
            session = new Session(config, world, journal, this, SessionObserver.NONE, name -> HASH, id, "h" + id,
                    clock::get);
        }

        @Override
        public void send(String line) {
            if (closed) {
                throw new AssertionError("line after close: " + line);
            }
            Fuzzing.checkServerLine(line);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @FuzzTest(maxDuration = "10m")
    void sessionsSurviveAnyInput(byte[] input) {
        int lineEnd = indexOf(input, 0);
        int flags = lineEnd > 0 ? input[0] & 0xff : 0;
        ChatConfig d = ChatConfig.defaults();
        ChatConfig config = TestNet.config((flags & 1) != 0 ? AuthMode.ACCOUNTS : AuthMode.OPEN,
                (flags & 2) != 0 ? 2 : 200, (flags & 4) != 0 ? 0 : d.floodLineCostMillis(), d.floodBurstLines(),
                d.floodExcessMillis());
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        MemoryLog log = new MemoryLog(clock::get);
        Peer[] peers = new Peer[2];
        int connections = 0;
        for (int start = lineEnd + 1; start < input.length; ) {
            int end = indexOf(input, start);
            byte[] line = Arrays.copyOfRange(input, start, end);
            start = end + 1;
            if (line.length == 0) {
                continue;
            }
            int op = line[0] & 0xff;
            int who = op & 1;
            if (peers[who] == null || peers[who].closed) {
                peers[who] = new Peer(config, log, clock, "s" + (++connections));
            }
            Session session = peers[who].session;
            byte[] rest = Arrays.copyOfRange(line, 1, line.length);
            switch ((op >> 1) & 7) {
                case 5 -> {
                    clock.addAndGet((rest.length > 0 ? rest[0] & 0xff : 1) * 1000L);
                    session.tick();
                }
                case 6 -> session.onLineTooLong();
                case 7 -> {
                    int what = rest.length > 0 ? rest[0] : 0;
                    if (what == 'D') {
                        session.onDisconnect("fuzz");
                    } else if (what == 'S') {
                        session.onServerShutdown("fuzz");
                    } else {
                        session.catchUp();
                    }
                }
                default -> session.onLine(rest);
            }
            for (Peer p : peers) {
                if (p != null) {
                    p.session.catchUp();
                    if (p.session.readDelayMillis() < 0) {
                        throw new AssertionError("negative read delay");
                    }
                }
            }
        }
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return bytes.length;
    }
}
