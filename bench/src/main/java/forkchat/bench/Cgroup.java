package forkchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A cgroup v1 {@code cpuacct} group made for one server under test. The server's first process
 * joins it before it execs (see {@link ServerProcess}), so every process and thread the server
 * ever starts is in it, and {@code cpuacct.usage} counts their CPU time in nanoseconds, also
 * after they exit and are reaped. This is the exact clock; where the hierarchy is not there or
 * not writable (not root, cgroup v2 only) the bench falls back to {@link TreeCpuClock}.
 */
final class Cgroup implements CpuClock, AutoCloseable {

    static final Path CPUACCT = Path.of("/sys/fs/cgroup/cpuacct");

    private final Path dir;

    private Cgroup(Path dir) {
        this.dir = dir;
    }

    /** A new, empty group named {@code name}, or null when none can be made here. */
    static Cgroup tryCreate(String name) {
        if (!Files.isReadable(CPUACCT.resolve("cpuacct.usage"))) {
            return null;
        }
        Path dir = CPUACCT.resolve(name);
        try {
            Files.createDirectory(dir);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
        if (!Files.isWritable(dir.resolve("cgroup.procs"))) {
            new Cgroup(dir).close();
            return null;
        }
        Cgroup group = new Cgroup(dir);
        LiveProcesses.add(group);
        return group;
    }

    /** The file a process writes its pid to ({@code echo $$ > …}) to join the group. */
    Path procsFile() {
        return dir.resolve("cgroup.procs");
    }

    @Override
    public long nanos() {
        String text = ProcFs.read(dir.resolve("cpuacct.usage"));
        return text == null ? 0 : Long.parseLong(text.strip());
    }

    @Override
    public String source() {
        return "cgroup";
    }

    /** The processes in the group now. */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        String text = ProcFs.read(procsFile());
        if (text != null) {
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.strip()));
                }
            }
        }
        return pids;
    }

    /** Removes the group; it must be empty by then (the caller has stopped every process in it). */
    @Override
    public void close() {
        LiveProcesses.remove(this);
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.err.println("forkchat-bench: could not remove " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
