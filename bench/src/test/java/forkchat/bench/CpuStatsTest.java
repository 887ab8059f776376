package forkchat.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuStatsTest {

    @Test
    void aCumulativeClockBecomesPercentOfOneCorePerInterval() {
        long ms = 1_000_000;
        // 50 ms of CPU in the first 500 ms, 500 ms in the next 500 ms (one core), 0 in the last
        long[] cpu = {0, 50 * ms, 550 * ms, 550 * ms};
        long[] wall = {0, 500 * ms, 1000 * ms, 1500 * ms};
        assertArrayEquals(new double[] {10, 100, 0}, CpuStats.percentages(cpu, wall), 1e-9);
    }

    @Test
    void twoCoresBusyIsTwoHundredPercent() {
        long[] cpu = {0, 1_000_000_000L};
        long[] wall = {0, 500_000_000L};
        assertArrayEquals(new double[] {200}, CpuStats.percentages(cpu, wall), 1e-9);
    }

    @Test
    void meanSampleStandardDeviationAndCoefficientOfVariation() {
        CpuStats s = CpuStats.of(new double[] {2, 4, 4, 4, 5, 5, 7, 9});
        assertEquals(8, s.samples());
        assertEquals(5.0, s.meanPct(), 1e-12);
        // sum of squared deviations 32, n - 1 = 7
        assertEquals(Math.sqrt(32.0 / 7), s.sdPct(), 1e-12);
        assertEquals(Math.sqrt(32.0 / 7) / 5.0, s.cv(), 1e-12);
    }

    @Test
    void aSteadyLoadHasNoVariation() {
        CpuStats s = CpuStats.of(new double[] {3, 3, 3});
        assertEquals(0, s.sdPct(), 1e-12);
        assertEquals(0, s.cv(), 1e-12);
    }

    @Test
    void variationIsUndefinedForAnIdleServerOrASingleSample() {
        assertTrue(Double.isNaN(CpuStats.of(new double[] {0, 0, 0}).cv()));
        assertTrue(Double.isNaN(CpuStats.of(new double[] {5}).cv()));
        assertTrue(Double.isNaN(CpuStats.of(new double[0]).meanPct()));
    }

    @Test
    void theMeanIsAllCpuOverAllWallTimeEvenWhenAReadingIsLate() {
        long ms = 1_000_000;
        // 100 % for 500 ms, then a reading 1500 ms late, still at 100 %
        long[] cpu = {0, 500 * ms, 2500 * ms};
        long[] wall = {0, 500 * ms, 2500 * ms};
        assertEquals(100, CpuStats.ofReadings(cpu, wall).meanPct(), 1e-9);
        // 10 % for 500 ms, then 90 % for 2000 ms: the time-weighted mean is 74 %, not 50 %
        long[] cpu2 = {0, 50 * ms, 1850 * ms};
        CpuStats s = CpuStats.ofReadings(cpu2, wall);
        assertEquals(74, s.meanPct(), 1e-9);
        assertEquals(Math.sqrt(2 * 40.0 * 40.0), s.sdPct(), 1e-9);
    }
}
