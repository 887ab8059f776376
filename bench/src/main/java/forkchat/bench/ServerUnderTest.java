package forkchat.bench;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A chat server the bench can start fresh for one run, drive, and stop: forkchatd in one of its
 * models, or ngIRCd as the reference.
 */
interface ServerUnderTest {

    /** The model's name as the results show it: fork, thread, virtual, event, ngircd. */
    String model();

    /**
     * Starts the server with its state in {@code runDir}, ready for {@code clients} bench
     * clients from loopback (limits lifted, flood control off), and returns once it accepts
     * connections. {@code cpus} is a taskset CPU list or null; {@code cgroup} may be null.
     */
    ServerProcess start(Path runDir, int clients, String cpus, Cgroup cgroup) throws IOException, InterruptedException;

    /** The loopback port it listens on (after {@link #start}). */
    int port();

    /**
     * Whether clients should connect one at a time, each once the server is quiet again (and has
     * its {@link #spareWorkers} back): the fork model's pool replaces the worker each client takes
     * (a JVM start), and a client should meet a spare worker, not a pool still starting one; the
     * threaded models are paced alike so that their connect figures compare.
     */
    default boolean pacedConnects() {
        return false;
    }

    /**
     * With paced connects: how many idle worker processes (beyond one per client connected so
     * far, and the server's own process) the server keeps ready; the next client connects only
     * once they are there. 0 for servers without a pool.
     */
    default int spareWorkers() {
        return 0;
    }
}
