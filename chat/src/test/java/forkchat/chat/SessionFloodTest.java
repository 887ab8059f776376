package forkchat.chat;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Flood control with the default settings: 10 lines at once, then 2 a second; 20 more queued ends it. */
class SessionFloodTest {

    private final TestNet net = new TestNet();

    @Test
    void aBurstOfTenLinesIsNotDelayed() {
        TestNet.Client a = net.registered("s1", "alice");
        net.advance(60_000); // registration's lines are long paid for
        for (int i = 0; i < 10; i++) {
            a.say("PRIVMSG alice :" + i);
        }
        assertEquals(0, a.session.readDelayMillis());
        a.say("PRIVMSG alice :eleven");
        assertEquals(500, a.session.readDelayMillis());
        a.say("PRIVMSG alice :twelve");
        assertEquals(1_000, a.session.readDelayMillis());
    }

    @Test
    void theDelayRunsOutWithTime() {
        TestNet.Client a = net.registered("s1", "alice");
        for (int i = 0; i < 14; i++) {
            a.say("PING :" + i);
            a.say("PRIVMSG alice :" + i);
        }
        long delay = a.session.readDelayMillis();
        assertTrue(delay > 0, "delay " + delay);
        net.advance(delay - 1);
        assertEquals(1, a.session.readDelayMillis());
        net.advance(1);
        assertEquals(0, a.session.readDelayMillis());
    }

    @Test
    void aClientThatWaitsAsToldIsThrottledButNeverDisconnected() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        long start = net.clock.get();
        for (int i = 0; i < 200; i++) {
            net.advance(a.session.readDelayMillis());
            a.say("PRIVMSG bob :line " + i);
        }
        assertFalse(a.closed);
        assertEquals(200, b.withCommand("PRIVMSG").size());
        long took = net.clock.get() - start;
        assertTrue(took >= 190 * 500 - 10_000 && took <= 200 * 500, "2 lines a second after the burst: " + took);
    }

    @Test
    void aSustainedFloodIsDisconnectedWithExcessFlood() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        a.say("JOIN #c");
        b.say("JOIN #c");
        net.advance(60_000);
        a.clear();
        b.clear();
        for (int i = 0; i < 500 && !a.closed; i++) {
            a.say("PRIVMSG #c :flood " + i); // a host that feeds a whole read without waiting
        }
        assertTrue(a.closed);
        assertEquals("ERROR :Closing Link: host-s1 (Excess Flood)", a.lines.getLast());
        assertEquals("ended Excess Flood", a.events.getLast());
        assertEquals(new Event.Quit("s1", "Excess Flood"), net.log.events().getLast());
        List<String> seen = b.withCommand("PRIVMSG");
        assertEquals(30, seen.size(), "10 burst lines and 20 queued ones were handled; the 31st was not");
        assertEquals(":alice!alice@host-s1 QUIT :Excess Flood", b.lines.getLast());
    }

    @Test
    void aFloodersNeighbourStillGetsItsPingAnsweredAtOnce() {
        TestNet.Client a = net.registered("s1", "alice");
        TestNet.Client b = net.registered("s2", "bob");
        for (int i = 0; i < 100 && !a.closed; i++) {
            a.say("PRIVMSG bob :flood " + i);
        }
        assertTrue(a.closed);
        b.clear();
        b.say("PING :still there?");
        assertEquals(List.of(":forkchat.local PONG forkchat.local :still there?"), b.take());
        assertEquals(0, b.session.readDelayMillis());
    }

    @Test
    void pingAndPongCostATenthOfALine() {
        TestNet.Client a = net.registered("s1", "alice");
        net.advance(60_000);
        for (int i = 0; i < 100; i++) {
            a.say(i % 2 == 0 ? "PING :x" : "PONG :forkchat.local");
        }
        assertEquals(0, a.session.readDelayMillis(), "100 keepalive lines cost what 10 lines do");
        assertFalse(a.closed);
    }

    @Test
    void blankUnparseableAndTooLongLinesCostToo() {
        TestNet.Client a = net.registered("s1", "alice");
        net.advance(60_000);
        for (int i = 0; i < 10; i++) {
            a.say("");
        }
        a.say("@only-tags");
        a.session.onLineTooLong();
        assertEquals(1_000, a.session.readDelayMillis());
    }

    @Test
    void floodingBeforeRegistrationAlsoEndsTheConnectionWithoutAQuit() {
        TestNet.Client a = net.connect("s1");
        for (int i = 0; i < 31; i++) {
            a.say("NICK n" + i);
        }
        assertTrue(a.closed);
        assertEquals("ERROR :Closing Link: host-s1 (Excess Flood)", a.lines.getLast());
        assertTrue(net.log.events().isEmpty());
    }

    @Test
    void aLineCostOfZeroTurnsFloodControlOff() {
        TestNet off = new TestNet(TestNet.config(AuthMode.OPEN, 200, 0, 10, 10_000));
        TestNet.Client a = off.registered("s1", "alice");
        for (int i = 0; i < 1_000; i++) {
            a.say("PRIVMSG alice :" + i);
        }
        assertFalse(a.closed);
        assertEquals(0, a.session.readDelayMillis());
    }

    @Test
    void aClosedSessionAsksForNoDelay() {
        TestNet.Client a = net.registered("s1", "alice");
        for (int i = 0; i < 20; i++) {
            a.say("PRIVMSG alice :" + i);
        }
        assertTrue(a.session.readDelayMillis() > 0);
        a.say("QUIT");
        assertEquals(0, a.session.readDelayMillis());
    }
}
