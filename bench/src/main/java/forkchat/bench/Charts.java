package forkchat.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG charts of a bench run, one line per model against the client count (on a log₂
 * axis, as the counts double): CPU with ±σ bars, memory (PSS of the whole tree) and p99
 * fan-out latency. Points that were not measured (NaN) are left out of their line.
 */
final class Charts {

    static final String CPU = "cpu.png";
    static final String MEMORY = "memory.png";
    static final String LATENCY = "latency-p99.png";

    private static final Color[] COLORS = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C),
            new Color(0x9467BD), new Color(0x7F7F7F), new Color(0xFF7F0E)};

    private Charts() {
    }

    /** Writes every chart into {@code dir}; returns their file names. */
    static List<String> write(Path dir, List<String> models, List<RunResult> results, String subtitle) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> written = new ArrayList<>();
        save(chart("CPU of the server's process tree (mean ± σ of 500 ms samples)", "% of one core", subtitle,
                models, results, RunResult::cpuMeanPct, RunResult::cpuSdPct), dir.resolve(CPU), written);
        save(chart("Memory: PSS summed over the server's process tree", "MB", subtitle,
                models, results, RunResult::pssTotalMb, null), dir.resolve(MEMORY), written);
        save(chart("Fan-out latency, 99th percentile (send → receipt)", "ms", subtitle,
                models, results, RunResult::latencyP99Ms, null), dir.resolve(LATENCY), written);
        return written;
    }

    private static void save(XYChart chart, Path file, List<String> written) throws IOException {
        if (chart.getSeriesMap().isEmpty()) {
            return;
        }
        String name = file.getFileName().toString();
        String base = file.toString().substring(0, file.toString().length() - ".png".length());
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        written.add(name);
    }

    static XYChart chart(String title, String yTitle, String subtitle, List<String> models, List<RunResult> results,
                         ToDoubleFunction<RunResult> y, ToDoubleFunction<RunResult> error) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title + "\n")
                .xAxisTitle("clients" + (subtitle.isEmpty() ? "" : "   (" + subtitle + ")"))
                .yAxisTitle(yTitle).build();
        var styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xDDDDDD));
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setMarkerSize(7);
        styler.setYAxisMin(0.0);
        styler.setErrorBarsColorSeriesColor(true);
        styler.setXAxisDecimalPattern("0");
        chart.setCustomXAxisTickLabelsFormatter(x -> {
            double r = Math.rint(x);
            return Math.abs(x - r) < 1e-6 && r >= 0 ? Long.toString(Math.round(Math.pow(2, r))) : "";
        });
        int colour = 0;
        for (String model : models) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> es = new ArrayList<>();
            for (RunResult r : results) {
                double v = y.applyAsDouble(r);
                if (!r.model().equals(model) || Double.isNaN(v)) {
                    continue;
                }
                xs.add(Math.log(r.clients()) / Math.log(2));
                ys.add(v);
                double e = error == null ? 0 : error.applyAsDouble(r);
                es.add(Double.isNaN(e) ? 0 : e);
            }
            Color c = COLORS[colour++ % COLORS.length];
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = error == null ? chart.addSeries(model, xs, ys) : chart.addSeries(model, xs, ys, es);
            s.setLineColor(c);
            s.setMarkerColor(c);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineStyle(model.equals("ngircd") ? dashed() : new BasicStroke(2f));
        }
        return chart;
    }

    private static BasicStroke dashed() {
        return new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
    }
}
