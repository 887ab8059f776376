package forkchat.chat;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class EventCodecTest {

    static final List<Event> ALL = List.of(
            new Event.ServerStart("irc.example"),
            new Event.Connect("s1", "alice", "al", "10.0.0.1", "Alice Liddell"),
            new Event.NickChange("s1", "alice", "Alice2"),
            new Event.Join("s1", "alice", "#chat"),
            new Event.Part("s1", "alice", "#chat", "bye now"),
            new Event.Part("s1", "alice", "#chat", ""),
            new Event.Quit("s1", "Connection lost"),
            new Event.Topic("s1", "alice", "#chat", "Welcome ☃ to #chat"),
            new Event.Message("s1", "alice!al@10.0.0.1", false, "#chat", "hello 😀"),
            new Event.Message("s2", "bob!b@h", true, "alice", "notice text"),
            new Event.Away("s1", "lunch"),
            new Event.Away("s1", ""));

    @Test
    void everyEventTypeRoundTrips() {
        for (Event e : ALL) {
            byte[] bytes = EventCodec.encode(e);
            assertEquals(EventCodec.VERSION, bytes[0]);
            assertEquals(e, EventCodec.decode(bytes), EventCodec.describe(e));
        }
    }

    @Test
    void longStringsUseMultiByteLengths() {
        String big = "x".repeat(70_000);
        Event e = new Event.Message("s", "a!b@c", false, "#c", big);
        assertEquals(e, EventCodec.decode(EventCodec.encode(e)));
    }

    @Test
    void nullStringsAreStoredAsEmpty() {
        Event decoded = EventCodec.decode(EventCodec.encode(new Event.Quit("s1", null)));
        assertEquals(new Event.Quit("s1", ""), decoded);
    }

    @Test
    void isCompact() {
        byte[] bytes = EventCodec.encode(new Event.Join("s1", "al", "#c"));
        assertEquals(2 + 3 + 3 + 3, bytes.length);
    }

    @Test
    void everyTruncationIsRejected() {
        for (Event e : ALL) {
            byte[] bytes = EventCodec.encode(e);
            for (int n = 0; n < bytes.length; n++) {
                byte[] cut = Arrays.copyOf(bytes, n);
                assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(cut),
                        EventCodec.describe(e) + " cut at " + n);
            }
        }
    }

    @Test
    void trailingGarbageIsRejected() {
        byte[] bytes = EventCodec.encode(new Event.Away("s", "x"));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(longer));
    }

    @Test
    void unknownVersionOrTypeIsRejected() {
        byte[] bytes = EventCodec.encode(new Event.Away("s", "x"));
        byte[] v = bytes.clone();
        v[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(v));
        byte[] t = bytes.clone();
        t[1] = 99;
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(t));
        byte[] zero = bytes.clone();
        zero[1] = 0;
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(zero));
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(null));
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(new byte[0]));
    }

    @Test
    void hostileLengthsAreRejectedWithoutHugeAllocation() {
        // version 1, Quit, a string length of 0x7fffffff (5-byte varint), no data
        byte[] hostile = {1, 6, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(hostile));
        byte[] tooLongVarint = {1, 6, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(tooLongVarint));
        byte[] overflow = {1, 6, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(overflow));
    }

    @Test
    void invalidUtf8AndBadBooleansAreRejected() {
        byte[] badUtf8 = {1, 9, 1, (byte) 0xc3, 0};
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(badUtf8));
        byte[] msg = EventCodec.encode(new Event.Message("s", "a", false, "t", "x"));
        // version, type, "s" (2), "a" (2), then the boolean at index 6
        msg[6] = 2;
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(msg));
    }

    @Test
    void randomBytesNeverThrowAnythingButIllegalArgument() {
        Random random = new Random(12345);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            if (bytes.length > 0 && random.nextBoolean()) {
                bytes[0] = 1;
            }
            try {
                EventCodec.decode(bytes);
            } catch (IllegalArgumentException expected) {
                // fine
            }
        }
    }

    @Test
    void mutatedValidPayloadsNeverThrowAnythingButIllegalArgument() {
        Random random = new Random(777);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = EventCodec.encode(ALL.get(random.nextInt(ALL.size())));
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            try {
                Event e = EventCodec.decode(bytes);
                assertNotNull(EventCodec.describe(e));
            } catch (IllegalArgumentException expected) {
                // fine
            }
        }
    }

    @Test
    void describeIsOneReadableLine() {
        for (Event e : ALL) {
            String d = EventCodec.describe(e);
            assertFalse(d.contains("\n"), d);
            assertFalse(d.isBlank());
        }
        assertEquals("privmsg session=s1 source=alice!al@10.0.0.1 target=#chat text=\"hello 😀\"",
                EventCodec.describe(ALL.get(8)));
        assertEquals("join session=s1 nick=alice channel=#chat", EventCodec.describe(ALL.get(3)));
        assertEquals("quit session=s reason=\"a\\nb\\x01\"", EventCodec.describe(new Event.Quit("s", "a\nb\u0001")));
    }
}
