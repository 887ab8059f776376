package forkchat.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One bench invocation, resolved from the command line: what to run and where things are.
 *
 * @param models          forkchat models to run, in order (fork, thread, virtual, event)
 * @param reference       "ngircd" to add ngIRCd as one more row, or null
 * @param clientCounts    client counts, each run for every model before the next count
 * @param java            the java binary for the daemon and the load generator (the bench's own)
 * @param benchClassPath  the bench's class path (for the load generator JVM)
 * @param daemonClassPath forkchatd's class path
 */
record BenchSettings(List<String> models, String reference, List<Integer> clientCounts, double rate, int size,
                     Workload workload, Duration warmup, Duration duration, Duration drain, int connectParallel,
                     String serverCpus, String loadCpus, Path out, Path java, String benchClassPath,
                     String daemonClassPath) {

    /** Every row of a client count: the models, then the reference. */
    List<String> allModels() {
        if (reference == null) {
            return models;
        }
        List<String> all = new java.util.ArrayList<>(models);
        all.add(reference);
        return all;
    }
}
