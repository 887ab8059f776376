package forkchat.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ngIRCd, a mature event-driven IRC server in C, as the reference row: Debian's
 * {@code /usr/sbin/ngircd} in the foreground ({@code -n}) with a generated loopback
 * configuration that, like forkchatd's bench settings, lifts the per-address limits and turns
 * penalties (its flood control) off, and makes no DNS, ident or PAM lookups.
 */
final class NgircdServer implements ServerUnderTest {

    static final Path BINARY = Path.of("/usr/sbin/ngircd");

    private int port;

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    @Override
    public String model() {
        return "ngircd";
    }

    /** The generated configuration for a loopback benchmark on {@code port}. */
    static String config(int port, Path motd) {
        return """
                # written by forkchat-bench for one run
                [Global]
                Name = bench.ngircd.local
                Info = forkchat-bench reference server
                Listen = 127.0.0.1
                Ports = %d
                MotdFile = %s

                [Limits]
                MaxConnections = 0
                MaxConnectionsIP = 0
                MaxJoins = 0
                MaxPenaltyTime = 0
                PingTimeout = 120
                PongTimeout = 60

                [Options]
                DNS = no
                Ident = no
                PAM = no
                """.formatted(port, motd);
    }

    @Override
    public ServerProcess start(Path runDir, int clients, String cpus, Cgroup cgroup)
            throws IOException, InterruptedException {
        Files.createDirectories(runDir);
        port = freePort();
        Path motd = runDir.resolve("ngircd.motd");
        Files.writeString(motd, "forkchat-bench\n");
        Path conf = runDir.resolve("ngircd.conf");
        Files.writeString(conf, config(port, motd));
        ServerProcess process = ServerProcess.start(List.of(BINARY.toString(), "-n", "-f", conf.toString()),
                cpus, cgroup, runDir.resolve("server.log"));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return process;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                    throw new IOException("ngircd did not listen on port " + port + "; see " + runDir.resolve("server.log"));
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

    @Override
    public int port() {
        return port;
    }

    /** A loopback port free now (ngIRCd cannot be told to pick one and report it). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
