package forkchat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * results.md: the run's conditions, a Table-I-style table (mean CPU % of one core and σ/μ, per
 * model per client count) with the papayaChat article's C and Go figures beside it, labelled as
 * measured elsewhere, then every figure of every run, and the charts.
 */
final class ResultsMarkdown {

    private ResultsMarkdown() {
    }

    static String format(BenchSettings s, List<RunResult> results, List<String> conditions, List<String> charts) {
        StringBuilder md = new StringBuilder();
        md.append("# forkchat-bench results\n\n");
        for (String c : conditions) {
            md.append("- ").append(c).append('\n');
        }
        md.append('\n');
        List<String> models = s.allModels();
        TreeSet<Integer> counts = new TreeSet<>();
        results.forEach(r -> counts.add(r.clients()));

        md.append("## CPU: mean % of one core and σ/μ (the paper's Table I)\n\n");
        md.append("Sampled every 500 ms over the measured window, whole process tree. ");
        md.append("The last two column pairs are **measured elsewhere** (").append(PaperFigures.SOURCE)
                .append("; ").append(PaperFigures.CONDITIONS).append("): another machine, another OS and another ")
                .append("workload, so compare the shape of the curves, not the values.\n\n");
        List<String> head = new ArrayList<>(List.of("clients"));
        for (String m : models) {
            head.add(m + " μ %");
            head.add(m + " σ/μ");
        }
        head.addAll(List.of("C (paper) μ %", "C σ/μ", "Go (paper) μ %", "Go σ/μ"));
        row(md, head);
        row(md, head.stream().map(h -> "---:").toList());
        for (int n : counts) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(n)));
            for (String m : models) {
                RunResult r = find(results, m, n);
                cells.add(r == null ? "" : fixed(r.cpuMeanPct(), 2));
                cells.add(r == null ? "" : fixed(r.cpuCv(), 3));
            }
            PaperFigures.Row p = PaperFigures.TABLE_I.get(n);
            cells.add(p == null ? "" : fixed(p.cMeanPct(), 2));
            cells.add(p == null ? "" : fixed(p.cCv(), 3));
            cells.add(p == null ? "" : fixed(p.goMeanPct(), 2));
            cells.add(p == null ? "" : fixed(p.goCv(), 3));
            row(md, cells);
        }

        md.append("\n## Every figure\n\n");
        md.append("PSS is the mean over the window, summed over the tree; latency is send → receipt at each other ")
                .append("client, for messages sent in the measured window; connect is TCP connect → `001`, one client at ")
                .append("a time, each once the server is quiet (and for `fork` once its pool has its spare workers ")
                .append("again); with at most 64 clients its p99 is its slowest connect, which for a JVM server is ")
                .append("often the first (cold) one. ")
                .append("Deliveries count every message sent after all clients joined (warm-up included).\n\n");
        List<String> h2 = List.of("model", "clients", "CPU μ %", "σ/μ", "CPU check %", "PSS MB", "PSS/client MB",
                "procs", "threads", "p50 ms", "p99 ms", "max ms", "connect p50 ms", "connect p99 ms", "expected", "delivered",
                "lost", "status");
        row(md, h2);
        row(md, h2.stream().map(h -> h.equals("model") || h.equals("status") ? "---" : "---:").toList());
        for (int n : counts) {
            for (String m : models) {
                RunResult r = find(results, m, n);
                if (r == null) {
                    continue;
                }
                row(md, List.of(r.model(), Integer.toString(r.clients()), fixed(r.cpuMeanPct(), 2),
                        fixed(r.cpuCv(), 3), fixed(r.cpuCheckPct(), 2), fixed(r.pssTotalMb(), 1),
                        fixed(r.pssPerClientMb(), 1), Integer.toString(r.processes()), Integer.toString(r.threads()),
                        fixed(r.latencyP50Ms(), 2), fixed(r.latencyP99Ms(), 2), fixed(r.latencyMaxMs(), 2),
                        fixed(r.connectP50Ms(), 2), fixed(r.connectP99Ms(), 2), Long.toString(r.expected()), Long.toString(r.delivered()),
                        r.lost() > 0 ? "**" + r.lost() + "**" : "0", r.status()));
            }
        }
        List<RunResult> lossy = results.stream().filter(r -> r.lost() > 0 || r.duplicates() > 0 || r.skipped() > 0).toList();
        md.append('\n');
        if (lossy.isEmpty()) {
            md.append("Every expected delivery arrived, once.\n");
        } else {
            md.append("**Not everything arrived:**\n\n");
            for (RunResult r : lossy) {
                md.append("- ").append(r.model()).append(", ").append(r.clients()).append(" clients: ")
                        .append(r.lost()).append(" lost, ").append(r.duplicates()).append(" duplicates, ")
                        .append(r.skipped()).append(" not sent (server not reading)\n");
            }
        }
        if (!charts.isEmpty()) {
            md.append("\n## Charts\n\n");
            for (String c : charts) {
                md.append("![").append(c).append("](").append(c).append(")\n\n");
            }
        }
        return md.toString();
    }

    static RunResult find(List<RunResult> results, String model, int clients) {
        for (RunResult r : results) {
            if (r.model().equals(model) && r.clients() == clients) {
                return r;
            }
        }
        return null;
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    static String fixed(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "–";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
