package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scripts/soak} in CI: a short bounded run of the fork model, with worker kills. */
class SoakTest {

    @TempDir
    Path state;

    @Test
    void aShortForkModelSoakWithWorkerKillsLosesNothingAndLeaksNothing() throws Exception {
        Soak.Verdict v = Soak.run(new Soak.Options("fork", Duration.ofSeconds(15), 6, 3, Duration.ofSeconds(2),
                Duration.ofMillis(60), state.toAbsolutePath()));
        String report = Soak.report(v);
        System.out.println(report);
        assertEquals(0, v.lost(), report);
        assertEquals(0, v.duplicates(), report);
        assertEquals(0, v.stalled(), report);
        assertEquals(0, v.leaked(), report);
        // the machine may be shared and slow: ask for some of everything, not for a rate
        assertTrue(v.acknowledged() >= 20 && v.delivered() > v.acknowledged(), report);
        assertTrue(v.kills() >= 2 && v.reconnects() >= v.kills(), "kills and reconnects happened: " + report);
        assertTrue(v.passed(), report);
    }
}
