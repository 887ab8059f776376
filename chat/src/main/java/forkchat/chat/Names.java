package forkchat.chat;

/** Nick and channel names: case folding and validation. CONTRACT ONLY: implemented by the chat work. */
public final class Names {

    private Names() {
    }

    /** ASCII case folding (CASEMAPPING=ascii): the key for every nick and channel comparison. */
    public static String fold(String name) {
        throw new UnsupportedOperationException("contract");
    }
}
