package forkchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench end to end: real forkchatd daemons (two threaded models) from this test's class
 * path, a real load-generator JVM, two clients for about two seconds each. Every expected
 * delivery must arrive, the files must be written, and no process may be left behind.
 */
class BenchSmokeTest {

    @Test
    @Timeout(240)
    void twoThreadedModelsAtTwoClientsDeliverEverythingAndLeaveNothingRunning(@TempDir Path out) throws Exception {
        int status = Main.run("--models", "event,thread", "--clients", "2", "--warmup", "1s", "--duration", "2s",
                "--drain", "5s", "--out", out.toString());
        assertEquals(0, status);

        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        Map<String, Integer> col = IntStream.range(0, header.size()).boxed()
                .collect(Collectors.toMap(header::get, Function.identity()));
        assertEquals(3, lines.size(), String.join("\n", lines));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            long expected = Long.parseLong(cells[col.get("expected")]);
            long delivered = Long.parseLong(cells[col.get("delivered")]);
            assertTrue(expected > 0, line);
            assertEquals(expected, delivered, line);
            assertEquals("2", cells[col.get("clients")]);
            assertEquals("ok", cells[col.get("status")], line);
            assertTrue(Double.parseDouble(cells[col.get("cpu_mean_pct")]) > 0, line);
            assertTrue(Double.parseDouble(cells[col.get("pss_total_mb")]) > 0, line);
            assertTrue(!cells[col.get("latency_p99_ms")].isEmpty(), line);
        }
        assertTrue(lines.get(1).startsWith("event,2,"));
        assertTrue(lines.get(2).startsWith("thread,2,"));
        assertTrue(Files.readString(out.resolve("results.md")).contains("| 2 |"));
        assertTrue(Files.size(out.resolve(Charts.CPU)) > 1000);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessHandle.current().descendants().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList(), "processes left behind");
    }
}
