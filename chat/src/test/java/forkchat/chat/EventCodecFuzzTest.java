package forkchat.chat;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the log record decoder with hostile payloads ({@link Fuzzing} says how to run it
 * longer). Invariants: decoding throws nothing but IllegalArgumentException; a decoded event
 * encodes to a payload that decodes to the same event (the encoding is canonical: a payload that
 * decodes is re-encoded byte for byte unless it used a longer length varint than needed); describing
 * it never throws.
 */
class EventCodecFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void decodeIsSafeAndRoundTrips(byte[] payload) {
        Event event;
        try {
            event = EventCodec.decode(payload);
        } catch (IllegalArgumentException e) {
            return;
        }
        byte[] encoded = EventCodec.encode(event);
        assertEquals(event, EventCodec.decode(encoded));
        assertTrue(encoded.length <= payload.length, "re-encoding never grows");
        assertNotNull(EventCodec.describe(event));
    }
}
