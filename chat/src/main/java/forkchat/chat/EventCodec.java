package forkchat.chat;

/**
 * Event ⇄ record payload bytes. A compact, versioned binary form: a type byte, then the fields as
 * length-prefixed UTF-8. CONTRACT ONLY: implemented by the chat work.
 */
public final class EventCodec {

    private EventCodec() {
    }

    public static byte[] encode(Event event) {
        throw new UnsupportedOperationException("contract");
    }

    /** @throws IllegalArgumentException when the bytes are not an event this version knows */
    public static Event decode(byte[] payload) {
        throw new UnsupportedOperationException("contract");
    }

    /** One readable line for administrators ({@code forkchatd log dump}). */
    public static String describe(Event event) {
        throw new UnsupportedOperationException("contract");
    }
}
