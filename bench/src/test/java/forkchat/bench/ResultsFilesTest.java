package forkchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsFilesTest {

    private static RunResult row(String model, int clients, double cpu, long expected, long delivered, String status) {
        return new RunResult(model, clients, 1, 64, "fanout", 20, 40, cpu, cpu * 0.2, 0.2, "cgroup", cpu,
                clients * 40.0, 40.0, clients + 3, 20 * clients, 1.5, 4.25, 9, 3, 12.5, 20, 100,
                expected, delivered, 0, 0, 1.2, status);
    }

    private static BenchSettings settings(Path out) {
        return new BenchSettings(List.of("fork", "event"), "ngircd", List.of(1, 64), 1, 64, Workload.FANOUT,
                Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(10), 1, null, null, out,
                Path.of("java"), "", "");
    }

    @Test
    void theCsvStartsWithTheColumnsTheIssueAsksForInItsOrder() {
        String csv = ResultsCsv.format(List.of(row("fork", 4, 2.5, 300, 300, "ok")));
        String header = csv.lines().findFirst().orElseThrow();
        assertTrue(header.startsWith("model,clients,rate,cpu_mean_pct,cpu_cv,pss_total_mb,pss_per_client_mb,"
                + "latency_p50_ms,latency_p99_ms,latency_max_ms,connect_p99_ms,expected,delivered,"), header);
        List<String> lines = csv.lines().toList();
        assertEquals(2, lines.size());
        String[] cells = lines.get(1).split(",");
        assertEquals(header.split(",").length, cells.length);
        assertEquals("fork", cells[0]);
        assertEquals("4", cells[1]);
        assertEquals("2.5", cells[3]);
        assertEquals("300", cells[11]);
        assertEquals("300", cells[12]);
    }

    @Test
    void whatWasNotMeasuredIsEmptyAndAStatusWithACommaIsQuoted() {
        RunResult failed = RunResult.failed("fork", 64, 1, 64, "fanout", 20, "load generator: b3, refused");
        String line = ResultsCsv.format(List.of(failed)).lines().skip(1).findFirst().orElseThrow();
        assertTrue(line.startsWith("fork,64,1,,,"), line);
        assertTrue(line.endsWith(",\"failed: load generator: b3, refused\""), line);
        assertEquals("\"a \"\"quoted\"\" word\"", ResultsCsv.quote("a \"quoted\" word"));
    }

    @Test
    void lostDeliveriesAreCountedNeverHidden() {
        RunResult r = row("thread", 8, 1, 700, 690, "lost 10");
        assertEquals(10, r.lost());
        String csv = ResultsCsv.format(List.of(r));
        assertTrue(csv.lines().skip(1).findFirst().orElseThrow().contains(",700,690,10,"));
    }

    @Test
    void theMarkdownHasTableIWithThePapersFiguresLabelledAsMeasuredElsewhere(@TempDir Path dir) throws Exception {
        List<RunResult> results = List.of(row("fork", 1, 1.25, 0, 0, "ok"), row("event", 1, 0.5, 0, 0, "ok"),
                row("ngircd", 1, 0.05, 0, 0, "ok"), row("fork", 64, 12.5, 100, 98, "lost 2"),
                row("event", 64, 2.0, 100, 100, "ok"), row("ngircd", 64, 1.0, 100, 100, "ok"));
        String md = ResultsMarkdown.format(settings(dir), results, List.of("a test"), List.of("cpu.png"));
        assertTrue(md.contains("| clients | fork μ % | fork σ/μ | event μ % | event σ/μ | ngircd μ % | ngircd σ/μ |"
                + " C (paper) μ % | C σ/μ | Go (paper) μ % | Go σ/μ |"), md);
        assertTrue(md.contains("| 64 | 12.50 | 0.200 | 2.00 | 0.200 | 1.00 | 0.200 | 2.53 | 0.180 | 36.08 | 0.243 |"), md);
        assertTrue(md.contains("**measured elsewhere**"));
        assertTrue(md.contains("fork, 64 clients: 2 lost"), md);
        assertTrue(md.contains("![cpu.png](cpu.png)"));
    }

    @Test
    void chartsArePngFilesOneLinePerModel(@TempDir Path dir) throws Exception {
        List<RunResult> results = List.of(row("fork", 1, 1.25, 0, 0, "ok"), row("fork", 4, 2.5, 12, 12, "ok"),
                row("event", 1, 0.5, 0, 0, "ok"), row("event", 4, 0.75, 12, 12, "ok"));
        List<String> written = Charts.write(dir, List.of("fork", "event"), results, "test");
        assertEquals(List.of(Charts.CPU, Charts.MEMORY, Charts.LATENCY), written);
        for (String name : written) {
            byte[] png = Files.readAllBytes(dir.resolve(name));
            assertTrue(png.length > 1000, name);
            assertEquals((byte) 0x89, png[0]);
            assertEquals('P', png[1]);
        }
    }

    @Test
    void theLoadReportSurvivesItsFile(@TempDir Path dir) throws Exception {
        LoadReport r = new LoadReport(10, 90, 88, 1, 0, 80, 1.5, 9.25, 12, 3, 18.5, 20, 0.75, "client b2: gone");
        Path file = dir.resolve("report.properties");
        r.write(file);
        LoadReport back = LoadReport.read(file);
        assertEquals(r, back);
        assertEquals(2, back.lost());
    }

    @Test
    void ngircdGetsALoopbackConfigWithoutPenaltiesOrLookups() {
        String conf = NgircdServer.config(16667, Path.of("/tmp/motd"));
        assertTrue(conf.contains("Listen = 127.0.0.1"));
        assertTrue(conf.contains("Ports = 16667"));
        assertTrue(conf.contains("MaxPenaltyTime = 0"));
        assertTrue(conf.contains("MaxConnectionsIP = 0"));
        assertTrue(conf.contains("DNS = no"));
    }

    @Test
    void forkchatdGetsItsLimitsLiftedAndFloodControlOff() {
        List<String> s = ForkchatServer.settings("thread", Path.of("/tmp/state"), 64);
        assertTrue(s.contains("model=thread"));
        assertTrue(s.contains("flood_line_cost=0"));
        assertTrue(s.contains("accept_rate=100000"));
        assertTrue(s.contains("max_clients=128"));
        assertTrue(s.contains("max_clients_per_address=128"));
        assertTrue(s.contains("max_registering=128"));
        assertTrue(s.stream().noneMatch(x -> x.startsWith("pool_")), "pool sizes live in the reloadable file");
    }
}
