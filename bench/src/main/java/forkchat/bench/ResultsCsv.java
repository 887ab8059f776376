package forkchat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** results.csv: a header and one row per run, rewritten whole after every run so a cut-short bench keeps what it measured. */
final class ResultsCsv {

    private ResultsCsv() {
    }

    static String format(List<RunResult> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.join(",", RunResult.COLUMNS)).append('\n');
        for (RunResult r : results) {
            List<String> values = r.csvValues();
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(quote(values.get(i)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    static void write(Path file, List<RunResult> results) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, format(results), StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
    static String quote(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
            return '"' + field.replace("\"", "\"\"") + '"';
        }
        return field;
    }
}
