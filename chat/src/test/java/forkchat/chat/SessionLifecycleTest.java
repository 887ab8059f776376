package forkchat.chat;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

class SessionLifecycleTest {

    private final TestNet net = new TestNet();

    @Test
    void quitSendsErrorAppendsQuitAndIsSeenByChannelPeers() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        TestNet.Client c = net.registered("s3", "carol");
        a.say("JOIN #c");
        b.say("JOIN #c");
        a.clear();
        b.clear();
        a.say("QUIT :gone fishing");
        assertEquals(List.of("ERROR :Closing Link: host-s1 (Quit: gone fishing)"), a.take());
        assertTrue(a.closed);
        assertTrue(a.session.isClosed());
        assertEquals("ended Quit: gone fishing", a.events.getLast());
        assertEquals(List.of(":alice!alice@host-s1 QUIT :Quit: gone fishing"), b.take());
        assertTrue(c.take().isEmpty(), "carol shares no channel");
        assertFalse(c.world.nickInUse("alice"));
        assertEquals(new Event.Quit("s1", "Quit: gone fishing"), net.log.events().getLast());
    }

    @Test
    void quitWithoutReasonSaysClientQuit() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("QUIT");
        assertEquals(List.of("ERROR :Closing Link: host-s1 (Client Quit)"), a.take());
    }

    @Test
    void quitBeforeRegistrationWritesNothing() {
        TestNet.Client a = net.connect("s1");
        a.say("NICK alice");
        a.say("QUIT :bye");
        assertEquals(List.of("ERROR :Closing Link: host-s1 (Quit: bye)"), a.take());
        assertTrue(a.closed);
        assertTrue(net.log.events().isEmpty());
        assertEquals(List.of("ended Quit: bye"), a.events);
    }

    @Test
    void everyCallAfterCloseIsANoOp() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("QUIT");
        a.clear();
        int logSize = net.log.events().size();
        a.say("PRIVMSG bob :late");
        a.session.onLineTooLong();
        a.session.tick();
        a.session.catchUp();
        a.session.onDisconnect("x");
        a.session.onServerShutdown("y");
        assertTrue(a.lines.isEmpty());
        assertEquals(logSize, net.log.events().size());
        assertEquals(1, a.events.stream().filter(e -> e.startsWith("ended")).count());
    }

    @Test
    void disconnectAppendsQuitWithoutAnErrorLine() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        a.say("JOIN #c");
        b.say("JOIN #c");
        a.clear();
        b.clear();
        a.session.onDisconnect("Connection reset by peer");
        net.pump();
        assertTrue(a.lines.isEmpty());
        assertTrue(a.session.isClosed());
        assertEquals("ended Connection reset by peer", a.events.getLast());
        assertEquals(List.of(":alice!alice@host-s1 QUIT :Connection reset by peer"), b.take());
    }

    @Test
    void disconnectBeforeRegistrationWritesNothing() {
        TestNet.Client a = net.connect("s1");
        a.session.onDisconnect("EOF");
        assertTrue(net.log.events().isEmpty());
        assertEquals(List.of("ended EOF"), a.events);
    }

    @Test
    void serverShutdownSendsErrorAndQuits() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        a.say("JOIN #c");
        b.say("JOIN #c");
        b.clear();
        a.session.onServerShutdown("Server shutting down");
        net.pump();
        assertEquals("ERROR :Server shutting down", a.lines.getLast());
        assertTrue(a.closed);
        assertEquals(List.of(":alice!alice@host-s1 QUIT :Server shutting down"), b.take());
    }

    @Test
    void supervisorWrittenQuitIsSeenByPeers() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        a.say("JOIN #c");
        b.say("JOIN #c");
        a.clear();
        b.clear();
        net.log.add(new Event.Quit("s1", "Connection lost"));
        net.pump();
        assertEquals(List.of(":alice!alice@host-s1 QUIT :Connection lost"), b.take());
        assertEquals(List.of("ERROR :Closing Link: host-s1 (Connection lost)"), a.take(),
                "a session whose presence was ended by someone else closes");
        assertTrue(a.closed);
    }

    @Test
    void registrationTimesOut() {
        TestNet.Client a = net.connect("s1");
        a.say("NICK alice");
        net.advance(59_999);
        a.session.tick();
        assertFalse(a.closed);
        net.advance(1);
        a.session.tick();
        assertEquals(List.of("ERROR :Closing Link: host-s1 (Registration timed out)"), a.take());
        assertTrue(a.closed);
        assertTrue(net.log.events().isEmpty());
        assertEquals(List.of("ended Registration timed out"), a.events);
    }

    @Test
    void registeredSessionsDoNotTimeOutForRegistration() {
        TestNet.Client a = net.registered("s1", "alice");
        net.advance(60_000);
        a.say("PING x");
        net.advance(60_000);
        a.session.tick();
        assertFalse(a.closed);
    }

    @Test
    void silenceGetsAPingAndAnswerKeepsTheSessionAlive() {
        TestNet.Client a = net.registered("s1", "alice");
        net.advance(89_000);
        a.session.tick();
        assertTrue(a.take().isEmpty());
        net.advance(1_000);
        a.session.tick();
        assertEquals(List.of("PING :forkchat.local"), a.take());
        a.session.tick();
        assertTrue(a.take().isEmpty(), "one PING per silence");
        net.advance(10_000);
        a.say("PONG :forkchat.local");
        net.advance(200_000);
        a.session.tick();
        assertEquals(List.of("PING :forkchat.local"), a.take());
        assertFalse(a.closed);
    }

    @Test
    void noAnswerToThePingTimesOutAndQuits() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        a.say("JOIN #c");
        b.say("JOIN #c");
        a.clear();
        b.clear();
        net.advance(90_000);
        a.session.tick();
        net.advance(119_999);
        a.session.tick();
        assertFalse(a.closed);
        net.advance(1);
        a.session.tick();
        assertEquals(List.of("PING :forkchat.local", "ERROR :Closing Link: host-s1 (Ping timeout: 210 seconds)"),
                a.take());
        assertTrue(a.closed);
        net.pump();
        assertEquals(List.of(":alice!alice@host-s1 QUIT :Ping timeout: 210 seconds"), b.take());
    }

    @Test
    void tooLongLinesGet417AndTheConnectionStays() {
        TestNet.Client a = net.registered("s1", "alice");
        LineFramer framer = new LineFramer(new LineFramer.Handler() {
            @Override
            public void line(byte[] line) {
                a.session.onLine(line);
            }

            @Override
            public void tooLong() {
                a.session.onLineTooLong();
            }
        });
        framer.feed(ByteBuffer.wrap(("PRIVMSG alice :" + "x".repeat(600) + "\r\nPING :still here\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
        assertEquals(List.of(
                ":forkchat.local 417 alice :Input line was too long",
                ":forkchat.local PONG forkchat.local :still here"), a.take());
        assertFalse(a.closed);
    }

    @Test
    void diskFullYieldsAFailLineAndTheSessionStaysUsable() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        net.log.failAppends = 1;
        a.say("PRIVMSG bob :lost");
        assertEquals(List.of(
                ":forkchat.local FAIL PRIVMSG WRITE_FAILED :The server could not store this (PRIVMSG); please try again later"),
                a.take());
        assertTrue(b.take().isEmpty());
        a.say("PRIVMSG bob :kept");
        assertEquals(List.of(":alice!alice@host-s1 PRIVMSG bob :kept"), b.take());
        net.log.failAppends = 1;
        a.say("JOIN #c");
        assertEquals(1, a.matching("FAIL JOIN WRITE_FAILED").size());
        a.clear();
        a.say("JOIN #c");
        assertEquals(":alice!alice@host-s1 JOIN #c", a.take().getFirst());
    }

    @Test
    void theEchoAcknowledgesOnlyAStoredMessageAndComesFromTheLog() {
        TestNet.Client a = net.connect("s1");
        a.say("CAP REQ :echo-message");
        a.say("NICK alice");
        a.say("USER alice 0 * :A");
        a.say("CAP END");
        a.say("JOIN #c");
        a.clear();
        int stored = net.log.entries().size();
        net.log.failAppends = 1;
        a.say("PRIVMSG #c :not stored");
        assertEquals(List.of(
                ":forkchat.local FAIL PRIVMSG WRITE_FAILED :The server could not store this (PRIVMSG); please try again later"),
                a.take(), "a failed append is never echoed");
        assertEquals(stored, net.log.entries().size());
        a.say("PRIVMSG #c :stored");
        assertEquals(List.of(":alice!alice@host-s1 PRIVMSG #c :stored"), a.take());
        Entry last = net.log.entries().getLast();
        assertEquals(new Event.Message("s1", "alice!alice@host-s1", false, "#c", "stored"), last.event(),
                "the echo is the record read back from the log");
    }

    @Test
    void diskFullDuringRegistrationCanBeRetried() {
        TestNet.Client a = net.connect("s1");
        a.say("NICK alice");
        net.log.failAppends = 1;
        a.say("USER alice 0 * :A");
        assertFalse(a.session.isRegistered());
        assertEquals(1, a.matching("FAIL NICK WRITE_FAILED").size());
        a.say("NICK alice");
        assertTrue(a.session.isRegistered());
    }

    @Test
    void diskFullOnQuitStillEndsTheSession() {
        TestNet.Client a = net.registered("s1", "alice");
        net.log.failAppends = 1;
        a.say("QUIT");
        assertTrue(a.closed);
    }

    @Test
    void serverStartResetsPresenceAndClosesRegisteredSessions() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("JOIN #c");
        a.say("TOPIC #c :persistent");
        TestNet.Client waiting = net.connect("s2");
        waiting.say("NICK bob");
        a.clear();
        net.log.add(new Event.ServerStart("forkchat.local"));
        net.pump();
        assertEquals(List.of("ERROR :Closing Link: host-s1 (Server restarted)"), a.take());
        assertTrue(a.closed);
        assertEquals(0, waiting.world.userCount());
        assertFalse(waiting.world.nickInUse("alice"));
        waiting.say("USER bob 0 * :B");
        assertTrue(waiting.session.isRegistered());
        waiting.say("NICK alice");
        assertEquals("alice", waiting.session.nick(), "alice's nick is free after the restart");
        waiting.clear();
        waiting.say("JOIN #c");
        assertTrue(waiting.received(":forkchat.local 332 alice #c :persistent"), "topics survive: " + waiting.lines);
    }

    @Test
    void aLateJoinerCatchesUpOnExistingPresence() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("JOIN #c");
        a.say("NICK alicia");
        TestNet.Client b = net.registered("s2", "bob");
        assertEquals("alicia", b.world.nickOf("s1"));
        assertTrue(b.world.isMember("s1", "#c"));
    }

    @Test
    void unexpectedExceptionsAreAnsweredWith400AndDoNotEscape() {
        Journal real = net.log.journal();
        CollectingSink sink = new CollectingSink();
        List<String> lines = sink.lines;
        boolean[] explode = {false};
        Journal flaky = new ForwardingJournal(real) {
            @Override
            public void append(Event event) {
                if (explode[0]) {
                    throw new IllegalStateException("boom");
                }
                real.append(event);
            }

            @Override
            public List<Entry> history(long before, int limit, Predicate<Event> wanted) {
                throw new IllegalStateException("history broken");
            }
        };
        World world = new World();
        SessionObserver throwingObserver = new SessionObserver() {
            @Override
            public void registered(String nick) {
                throw new IllegalStateException("observer broken");
            }
        };
        Session s = new Session(net.config, world, flaky, sink, throwingObserver, "s1", "h", net.clock::get);
        s.onLine("NICK alice".getBytes());
        assertDoesNotThrow(() -> s.onLine("USER a 0 * :A".getBytes()));
        assertTrue(s.isRegistered());
        assertDoesNotThrow(() -> s.onLine("JOIN #c".getBytes()));
        assertTrue(lines.contains(":alice!a@h JOIN #c"), "join works without history");
        explode[0] = true;
        lines.clear();
        assertDoesNotThrow(() -> s.onLine("PRIVMSG #c :hi".getBytes()));
        assertEquals(List.of(":forkchat.local 400 alice PRIVMSG :Internal server error"), lines);
        explode[0] = false;
        lines.clear();
        s.onLine("PING :ok".getBytes());
        assertEquals(List.of(":forkchat.local PONG forkchat.local :ok"), lines);
    }

    @Test
    void historyIsNeverReadUnderTheAppendLock() {
        // The Join's own catch-up failed, so the Join comes back inside the next appendIf (a nick
        // change): the history replay must wait until the exclusive lock is released.
        Journal real = net.log.journal();
        boolean[] insideAppendIf = {false};
        boolean[] readUnderLock = {false};
        int[] failCatchUps = {0};
        Journal journal = new ForwardingJournal(real) {
            @Override
            public boolean appendIf(Consumer<Entry> deliver, Supplier<Event> decide) {
                insideAppendIf[0] = true;
                try {
                    return real.appendIf(deliver, decide);
                } finally {
                    insideAppendIf[0] = false;
                }
            }

            @Override
            public void catchUp(Consumer<Entry> deliver) {
                if (failCatchUps[0] > 0) {
                    failCatchUps[0]--;
                    throw new JournalException("EIO", null);
                }
                real.catchUp(deliver);
            }

            @Override
            public List<Entry> history(long before, int limit, Predicate<Event> wanted) {
                readUnderLock[0] |= insideAppendIf[0];
                return real.history(before, limit, wanted);
            }
        };
        TestNet.Client b = net.registered("s2", "bob");
        b.say("JOIN #c");
        b.say("PRIVMSG #c :earlier");
        CollectingSink sink = new CollectingSink();
        List<String> lines = sink.lines;
        World world = new World();
        real.catchUp(world::apply);
        Session s = new Session(net.config, world, journal, sink, SessionObserver.NONE, "s1", "h", net.clock::get);
        s.onLine("NICK alice".getBytes());
        s.onLine("USER a 0 * :A".getBytes());
        failCatchUps[0] = 2; // the catch-up before the command, and the Join's own
        s.onLine("JOIN #c".getBytes());
        assertFalse(lines.stream().anyMatch(l -> l.contains(" JOIN ")), "not delivered yet");
        s.onLine("NICK alice2".getBytes());
        assertFalse(readUnderLock[0]);
        List<String> tail = lines.stream().filter(l -> !l.startsWith(":forkchat.local")).toList();
        assertEquals(List.of(
                ":alice!a@h JOIN #c",
                ":bob!bob@host-s2 PRIVMSG #c :[2023-11-14 22:13:20 UTC] earlier",
                ":alice!a@h NICK :alice2"), tail);
    }

    @Test
    void repliesThatEchoHugeInputAreCutToTheLineLimit() {
        TestNet.Client a = net.registered("s1", "alice");
        a.say("A".repeat(500));
        a.say("NICK " + "n".repeat(500));
        a.say("CAP REQ :" + "x ".repeat(250));
        byte[] latin1 = new byte[500];
        java.util.Arrays.fill(latin1, (byte) 0xff); // not UTF-8: read as Latin-1, twice as long in UTF-8
        a.sayBytes(latin1);
        List<String> lines = a.take(); // TestNet fails on any line over 510 bytes
        assertEquals(4, lines.size());
        assertTrue(lines.get(0).startsWith(":forkchat.local 421 alice AAAA"), lines.get(0));
        assertTrue(lines.get(1).startsWith(":forkchat.local 432 alice nnnn"), lines.get(1));
        assertTrue(lines.get(2).startsWith(":forkchat.local CAP alice NAK :x x"), lines.get(2));
        assertTrue(lines.get(3).startsWith(":forkchat.local 421 alice \u00ff\u00ff"), lines.get(3));
        for (String line : lines) {
            assertEquals(510, Utf8.length(line), line);
        }
    }
}
