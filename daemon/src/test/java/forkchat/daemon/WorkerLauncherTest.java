package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import forkchat.config.Config;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's command line: what the launcher adds to worker_jvm_options, and in which order. */
class WorkerLauncherTest {

    @TempDir
    Path state;

    private List<String> commandLine(String workerOptions) {
        Config config = Config.load(null, List.of("state_dir=" + state, "worker_jvm_options=" + workerOptions));
        WorkerLauncher launcher = new WorkerLauncher(config, 0, 0);
        return List.of(launcher.commandLine().toStrings());
    }

    @Test
    void workersTrimTheirNativeHeapAndWorkerOptionsCanOverrideIt() {
        assumeTrue(Runtime.version().feature() >= 22, "TrimNativeHeapInterval is a product flag from JDK 22");
        List<String> cmd = commandLine("-Xmx20m -XX:TrimNativeHeapInterval=0");
        int trim = cmd.indexOf("-XX:TrimNativeHeapInterval=" + WorkerLauncher.TRIM_INTERVAL_MILLIS);
        int own = cmd.indexOf("-XX:TrimNativeHeapInterval=0");
        assertTrue(trim >= 0, "the launcher's trim interval: " + cmd);
        // HotSpot takes the last value of an -XX option: worker_jvm_options, coming later, wins
        assertTrue(own > trim, "worker_jvm_options after the launcher's default: " + cmd);
        assertTrue(trim < cmd.indexOf("-Xmx20m"), "before worker_jvm_options: " + cmd);
    }

    @Test
    void workersCheckForMonitorDeflationRarelyUnlessWorkerOptionsSayOtherwise() {
        List<String> cmd = commandLine("-XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=250");
        int unlock = cmd.indexOf("-XX:+UnlockDiagnosticVMOptions");
        int ours = cmd.indexOf("-XX:AsyncDeflationInterval=" + WorkerLauncher.DEFLATION_CHECK_MILLIS);
        assertTrue(unlock >= 0 && unlock < ours, "a diagnostic flag, unlocked first: " + cmd);
        assertTrue(ours < cmd.indexOf("-XX:AsyncDeflationInterval=250"), "worker_jvm_options win: " + cmd);
    }
}
