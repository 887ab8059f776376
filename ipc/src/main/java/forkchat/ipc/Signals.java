package forkchat.ipc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.Objects;

/**
 * Signal dispositions for the JVM processes, through sun.misc.Signal (never jnr-posix signal(),
 * see PLATFORM-NOTES).
 *
 * <p>Names are given without the "SIG" prefix ("USR1", "TERM"); a name the JVM does not know or
 * reserves for itself (QUIT, and everything under -Xrs) fails with IllegalArgumentException. The
 * JDK runs each handler invocation on a new thread of its own; an exception thrown by an action is
 * logged and does not propagate.
 */
public final class Signals {

    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    /** Sets SIGUSR1 to SIG_IGN at the OS level (inherited by children across exec). */
    public static void ignoreUsr1() {
        ignore("USR1");
    }

    /** Installs a SIGUSR1 handler that rings {@code bell}. */
    public static void onUsr1(Bell bell) {
        Objects.requireNonNull(bell, "bell");
        Signal.handle(new Signal("USR1"), sig -> bell.ring());
    }

    /** Installs {@code action} for the named signal ("TERM", "INT", "HUP"). */
    public static void on(String name, Runnable action) {
        Objects.requireNonNull(action, "action");
        String signal = strip(name);
        SignalHandler previous = Signal.handle(new Signal(signal), sig -> {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                log.error("handler for SIG{} failed", sig.getName(), e);
            }
        });
        if (previous == SignalHandler.SIG_IGN && (signal.equals("HUP") || signal.equals("INT") || signal.equals("TERM"))) {
            // HotSpot keeps HUP, INT and TERM ignored when they were ignored at its start (nohup,
            // a shell's background job) and handling them silently does nothing.
            log.warn("SIG{} was ignored when this JVM started (nohup or a background job?): it stays ignored,"
                    + " and what it should do will not happen", signal);
        }
    }

    /** Sets the named signal to SIG_IGN. */
    public static void ignore(String name) {
        Signal.handle(new Signal(strip(name)), SignalHandler.SIG_IGN);
    }

    private static String strip(String name) {
        Objects.requireNonNull(name, "name");
        return name.startsWith("SIG") ? name.substring(3) : name;
    }
}
