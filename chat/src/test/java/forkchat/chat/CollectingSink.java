package forkchat.chat;

import java.util.ArrayList;
import java.util.List;

/** A client that keeps every line it is sent. */
class CollectingSink implements ClientSink {

    final List<String> lines = new ArrayList<>();

    @Override
    public void send(String line) {
        lines.add(line);
    }

    @Override
    public void close() {
    }
}
