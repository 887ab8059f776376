package forkchat.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * The published figures the bench sets beside its own: Table I of the papayaChat article
 * (E. Rodríguez, "academicArticle" in github.com/erodrigufer/papayaChat, chapters/experiments.tex),
 * mean CPU % and σ/μ of a fork-per-client C server and a goroutine-per-client Go server.
 *
 * <p>Measured elsewhere, under another workload: FreeBSD 13.0 cloud VMs with 1 vCPU and 2 GB,
 * tcpkali sending 1 Mbit/s per connection for 60 s, the servers reading and discarding it
 * (writing to stdout sent to /dev/null), CPU read with top(1) every 500 ms. Only the shape of
 * the curves is comparable with a bench run, never the absolute values. Note also the C server's
 * curve: flat from 32 to 64 connections, which is what summing only part of a process tree
 * (top's first screen) would show.
 */
final class PaperFigures {

    /** One row of Table I. */
    record Row(double cMeanPct, double cCv, double goMeanPct, double goCv) {
    }

    static final String SOURCE = "papayaChat article, Table I (github.com/erodrigufer/papayaChat,"
            + " academicArticle/chapters/experiments.tex)";

    static final String CONDITIONS = "FreeBSD 13.0, 1 vCPU cloud VM, tcpkali 1 Mbit/s per connection for 60 s,"
            + " servers read and discard, top(1) every 500 ms";

    static final Map<Integer, Row> TABLE_I;

    static {
        Map<Integer, Row> t = new TreeMap<>();
        t.put(1, new Row(0.34, 0.159, 1.94, 0.169));
        t.put(2, new Row(0.45, 0.221, 2.61, 0.205));
        t.put(4, new Row(0.79, 0.228, 4.35, 0.172));
        t.put(8, new Row(1.37, 0.137, 6.15, 0.276));
        t.put(16, new Row(2.17, 0.147, 11.71, 0.229));
        t.put(32, new Row(2.53, 0.172, 22.71, 0.322));
        t.put(64, new Row(2.53, 0.180, 36.08, 0.243));
        TABLE_I = java.util.Collections.unmodifiableMap(t);
    }

    private PaperFigures() {
    }
}
