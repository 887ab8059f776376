package forkchat.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What Linux's /proc says about the processes under test: per-thread CPU time in nanoseconds
 * ({@code schedstat}), tick-based CPU time of a process and of its reaped children ({@code stat}),
 * proportional memory ({@code smaps_rollup}) and thread counts. Parsing is kept apart from
 * reading so it can be tested on fixed text.
 *
 * <p>Every reader tolerates a process that exits while it is being read: a missing file is 0,
 * never an exception. The caller decides what a vanished process means.
 */
final class ProcFs {

    /** USER_HZ: the unit of {@code utime}, {@code stime}, {@code cutime}, {@code cstime} in /proc/PID/stat. */
    static final long TICKS_PER_SECOND = 100;

    private static final Path PROC = Path.of("/proc");

    private ProcFs() {
    }

    /** Whether this machine has the files this class reads (Linux with schedstats). */
    static boolean available() {
        return Files.isReadable(PROC.resolve("self/schedstat")) && Files.isReadable(PROC.resolve("self/smaps_rollup"));
    }

    /** The first field of a {@code schedstat} line: time spent on a CPU, in nanoseconds. */
    static long parseSchedstatRuntime(String text) {
        String t = text.strip();
        int space = t.indexOf(' ');
        return Long.parseLong(space < 0 ? t : t.substring(0, space));
    }

    /** The {@code Pss:} line of {@code smaps_rollup}, in kB; 0 when there is none. */
    static long parsePssKb(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("Pss:")) {
                String[] f = line.substring(4).strip().split("\\s+");
                return Long.parseLong(f[0]);
            }
        }
        return 0;
    }

    /**
     * The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses):
     * index 0 is the state (field 3 of proc(5)), so field N of proc(5) is index N - 3.
     */
    static String[] parseStatFields(String text) {
        int close = text.lastIndexOf(')');
        return text.substring(close + 2).strip().split(" ");
    }

    /** utime + stime (field 14 + 15) of a parsed stat line, in ticks: the process's own threads, dead ones included. */
    static long statOwnTicks(String[] fields) {
        return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    }

    /** cutime + cstime (field 16 + 17) of a parsed stat line, in ticks: the children it has reaped. */
    static long statReapedTicks(String[] fields) {
        return Long.parseLong(fields[16 - 3]) + Long.parseLong(fields[17 - 3]);
    }

    /** The process group (field 5) of a parsed stat line. */
    static long statProcessGroup(String[] fields) {
        return Long.parseLong(fields[5 - 3]);
    }

    /** The parsed /proc/PID/stat of {@code pid}, or null when it is gone. */
    static String[] stat(long pid) {
        String text = read(PROC.resolve(pid + "/stat"));
        return text == null ? null : parseStatFields(text);
    }

    /** The process group of {@code pid}, or -1 when it is gone. */
    static long processGroup(long pid) {
        String[] f = stat(pid);
        return f == null ? -1 : statProcessGroup(f);
    }

    /** PSS of {@code pid} in kB (0 when it is gone or not readable). */
    static long pssKb(long pid) {
        String text = read(PROC.resolve(pid + "/smaps_rollup"));
        return text == null ? 0 : parsePssKb(text);
    }

    /** The live threads of {@code pid} with their CPU time so far in nanoseconds, as {tid, ns} pairs. */
    static List<long[]> threadRuntimes(long pid) {
        List<long[]> out = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve(pid + "/task"))) {
            for (Path task : tasks) {
                String text = read(task.resolve("schedstat"));
                if (text != null) {
                    out.add(new long[] {Long.parseLong(task.getFileName().toString()), parseSchedstatRuntime(text)});
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone, or went while its threads were listed: what was read stands
        }
        return out;
    }

    /** How many threads {@code pid} has now (0 when it is gone). */
    static int threadCount(long pid) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve(pid + "/task"))) {
            int n = 0;
            for (Path ignored : tasks) {
                n++;
            }
            return n;
        } catch (IOException e) {
            return 0;
        }
    }

    /** {@code root} and every live descendant of it. */
    static List<Long> tree(long root) {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.of(root).ifPresent(p -> {
            pids.add(root);
            p.descendants().forEach(d -> pids.add(d.pid()));
        });
        return pids;
    }

    /** The text of a small /proc file, or null when it (or its process) is gone. */
    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null; // ESRCH and friends: the process went away while we read
        }
    }
}
