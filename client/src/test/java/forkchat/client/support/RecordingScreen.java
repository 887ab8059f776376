package forkchat.client.support;

import forkchat.client.irc.Line;
import forkchat.client.irc.Screen;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A {@link Screen} that keeps every line and status, and lets a test wait (bounded) for one. */
public final class RecordingScreen implements Screen {

    private final List<Line> lines = new ArrayList<>();
    private Status status;

    @Override
    public synchronized void show(Line line) {
        lines.add(line);
        notifyAll();
    }

    @Override
    public synchronized void status(Status newStatus) {
        status = newStatus;
        notifyAll();
    }

    public synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    public synchronized Status status() {
        return status;
    }

    public synchronized void clear() {
        lines.clear();
    }

    /** The texts of all lines, for assertion messages. */
    public synchronized String dump() {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) {
            sb.append("\n  ").append(l.kind()).append(' ').append(l.context()).append(' ').append(l.nick())
                    .append(": ").append(l.text()).append(l.history() ? " [history]" : "").append(l.own() ? " [own]" : "");
        }
        return sb.toString();
    }

    /** The first line (from index {@code from}) matching {@code wanted}, waiting up to {@code timeout}. */
    public synchronized Line await(Predicate<Line> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (true) {
            for (; seen < lines.size(); seen++) {
                if (wanted.test(lines.get(seen))) {
                    return lines.get(seen);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching line within " + timeout + "; shown:" + dump());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Lines matching {@code wanted}. */
    public synchronized List<Line> matching(Predicate<Line> wanted) {
        return lines.stream().filter(wanted).toList();
    }
}
