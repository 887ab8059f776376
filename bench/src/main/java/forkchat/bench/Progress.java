package forkchat.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The progress line on stderr: which run is going, in which phase, and about how long the
 * whole bench has left. On a terminal the line is rewritten in place; otherwise (a log, CI)
 * each phase gets a line of its own.
 *
 * <p>The estimate: every run takes its warm-up and measured window plus an overhead (start,
 * connect, settle, drain, stop) that grows with the clients of a fork-model run (worker JVMs
 * to start). The guesses are scaled by how the finished runs compared with theirs.
 */
final class Progress {

    /** One planned run. */
    record Run(String model, int clients) {
    }

    private final PrintStream err;
    private final boolean terminal;
    private final List<Run> plan;
    private final long measuredNanos;
    private double guessedDone;
    private double actualDone;
    private int current = -1;
    private long runStarted;

    Progress(PrintStream err, boolean terminal, List<Run> plan, Duration warmup, Duration duration) {
        this.err = err;
        this.terminal = terminal;
        this.plan = List.copyOf(plan);
        this.measuredNanos = warmup.plus(duration).toNanos();
    }

    /** A run's guessed length before any run has finished, in nanoseconds. */
    double guessNanos(Run r) {
        double overheadSeconds = r.model().equals("fork") ? 10 + 0.6 * r.clients() : 8 + 0.02 * r.clients();
        return overheadSeconds * 1e9 + measuredNanos;
    }

    void startRun(int index) {
        current = index;
        runStarted = System.nanoTime();
    }

    void endRun() {
        guessedDone += guessNanos(plan.get(current));
        actualDone += System.nanoTime() - runStarted;
    }

    /** How long the bench has left, by the scaled guesses. */
    Duration left() {
        double scale = guessedDone > 0 ? actualDone / guessedDone : 1.0;
        double nanos = 0;
        for (int i = Math.max(current, 0); i < plan.size(); i++) {
            double g = guessNanos(plan.get(i)) * scale;
            if (i == current) {
                g = Math.max(0, g - (System.nanoTime() - runStarted));
            }
            nanos += g;
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    void phase(String phase) {
        Run r = plan.get(current);
        String line = String.format(Locale.ROOT, "forkchat-bench [%d/%d] %s, %d client%s: %s — about %s left",
                current + 1, plan.size(), r.model(), r.clients(), r.clients() == 1 ? "" : "s", phase, human(left()));
        if (terminal) {
            err.print("\r\033[K" + line);
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** A line of its own (a result, a warning), leaving the progress line to be redrawn. */
    void message(String text) {
        if (terminal) {
            err.print("\r\033[K");
        }
        err.println(text);
        err.flush();
    }

    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 60 ? s / 60 + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
    }
}
