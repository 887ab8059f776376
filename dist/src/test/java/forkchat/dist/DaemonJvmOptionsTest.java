package forkchat.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers' choice of the daemon JVM's options (scripts/lib/jdk.sh, run by /bin/sh as the
 * installed launcher runs it): the model is read from the arguments as forkchatd reads them, and
 * only the fork model's supervisor gets the quick compiler alone.
 */
class DaemonJvmOptionsTest {

    private static final Path JDK_SH = ServiceFilesTest.SCRIPTS.resolve("lib/jdk.sh");

    @TempDir
    Path dir;

    @Test
    void theModelIsReadAsForkchatdReadsIt() throws Exception {
        Path conf = dir.resolve("forkchatd.conf");
        Files.writeString(conf, "# model = event\nlisten = 127.0.0.1:6667\n  model =  Thread  \n");
        assertEquals("fork", model(), "the default");
        assertEquals("virtual", model("-c", "model=virtual"));
        assertEquals("event", model("-cmodel=event"));
        assertEquals("fork", model("-c", "model=thread", "-c", "model=fork"), "the last -c wins");
        assertEquals("thread", model("--config", conf.toString()), "the file's uncommented line, in lower case");
        assertEquals("thread", model("-c", "listen=127.0.0.1:0", "--config=" + conf));
        assertEquals("fork", model("--config", conf.toString(), "-c", "model=fork"), "-c wins over the file");
        assertEquals("fork", model("--config", dir.resolve("missing.conf").toString()),
                "an unreadable file is forkchatd's to report");
    }

    @Test
    void onlyTheForkModelsSupervisorGetsTheQuickCompilerAlone() throws Exception {
        List<String> fork = options();
        List<String> virtual = options("-c", "model=virtual");
        assertTrue(fork.contains("-XX:TieredStopAtLevel=1"), fork.toString());
        assertFalse(virtual.contains("-XX:TieredStopAtLevel=1"), "a threaded build serves its clients in this JVM: "
                + virtual);
        List<String> common = new ArrayList<>(fork);
        common.remove("-XX:TieredStopAtLevel=1");
        assertEquals(common, virtual, "nothing else differs");
        assertTrue(virtual.contains("-XX:+UseSerialGC"), virtual.toString());
    }

    private String model(String... args) throws IOException, InterruptedException {
        List<String> out = sh(". \"$0\"; daemon_model \"$@\"", args);
        assertEquals(1, out.size(), out.toString());
        return out.get(0);
    }

    /** With JAVA_FEATURE set, so that no JVM is asked its version. */
    private List<String> options(String... args) throws IOException, InterruptedException {
        return sh(". \"$0\"; JAVA=/nonexistent JAVA_FEATURE=25; forkchatd_jvm_options \"$@\"", args);
    }

    private List<String> sh(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", script, JDK_SH.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "sh ended");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        return output.lines().toList();
    }
}
