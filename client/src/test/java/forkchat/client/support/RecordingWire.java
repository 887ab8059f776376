package forkchat.client.support;

import forkchat.client.irc.Wire;
import java.util.ArrayList;
import java.util.List;

/** A {@link Wire} that keeps what the session sent. */
public final class RecordingWire implements Wire {

    private final List<String> sent = new ArrayList<>();

    @Override
    public synchronized void send(String line) {
        sent.add(line);
    }

    public synchronized List<String> sent() {
        return List.copyOf(sent);
    }

    /** Everything sent so far, and forgets it. */
    public synchronized List<String> take() {
        List<String> out = List.copyOf(sent);
        sent.clear();
        return out;
    }
}
