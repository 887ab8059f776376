package forkchat.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What Linux's /proc says about sockets and processes, for tests that check who holds what. */
final class ProcFs {

    private ProcFs() {
    }

    /**
     * The inode of the server-side TCP socket whose peer is the local port {@code clientPort}
     * (connection to {@code serverPort}), from /proc/net/tcp; -1 if none.
     */
    static long serverSocketInode(int serverPort, int clientPort) throws IOException {
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[1].contains(":")) {
                    continue;
                }
                int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                if (local == serverPort && remote == clientPort) {
                    return Long.parseLong(f[9]);
                }
            }
        }
        return -1;
    }

    /** Whether process {@code pid} has a descriptor open on socket {@code inode}. */
    static boolean holdsSocket(long pid, long inode) {
        String target = "socket:[" + inode + "]";
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(target);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    /** The process group of {@code pid} (field 5 of /proc/PID/stat). */
    static long processGroup(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String afterName = stat.substring(stat.lastIndexOf(')') + 2);
        return Long.parseLong(afterName.split(" ")[2]);
    }

    /** The command line of {@code pid}, arguments joined by spaces; "" if it is gone or unreadable. */
    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
