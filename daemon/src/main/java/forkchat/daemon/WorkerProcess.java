package forkchat.daemon;

import forkchat.ipc.HandoffChannel;

/**
 * The supervisor's record of one worker JVM. Mutated only under the {@link WorkerPool}'s lock,
 * except the volatile fields the worker's control reader sets.
 */
final class WorkerProcess {

    enum State {
        /** Spawned; has not said HELLO on the handoff socket yet. */
        STARTING,
        /** Said HELLO; waiting for a client. */
        IDLE,
        /** Was handed a client. */
        BUSY,
        /** Told to go (pool shrink or daemon stop). */
        STOPPING
    }

    final int pid;
    final Process process;
    final long spawnedAtNanos = System.nanoTime();
    /** The pool's reload count when it was spawned. */
    final int generation;
    State state = State.STARTING;
    HandoffChannel handoff;
    String session;
    String client;
    long clientAtNanos;
    /** The admitted connection this worker serves; ended when the worker is reaped. */
    volatile Admission.Ticket ticket;
    volatile String nick;
    volatile String byeReason;

    WorkerProcess(Process process, int generation) {
        this.process = process;
        this.generation = generation;
        this.pid = (int) process.pid();
    }

    /** Who this worker serves, for log lines. */
    String who() {
        if (client == null) {
            return "no client";
        }
        return (nick == null ? "unregistered client" : nick) + " from " + client;
    }

    double ageSeconds() {
        return (System.nanoTime() - spawnedAtNanos) / 1e9;
    }
}
