package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A full disk under a running daemon: the state directory is a small tmpfs of its own (mounted
 * for the test, so it needs root or CAP_SYS_ADMIN: the test is skipped where mount is refused),
 * filled up with a file until write(2) says ENOSPC. Appends that do not fit are refused with
 * {@code FAIL ... WRITE_FAILED}, cut records are truncated away, everything else goes on, and
 * removing the file brings the daemon back without a restart.
 */
class DiskFullTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    Path state;
    private boolean mounted;

    @BeforeEach
    void mountASmallTmpfs() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux"), "tmpfs mounts: Linux only");
        state = dir.resolve("disk");
        Files.createDirectory(state);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", state.toString())
                .redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = mount.waitFor(30, TimeUnit.SECONDS);
        Assumptions.assumeTrue(done && mount.exitValue() == 0, "cannot mount a tmpfs here (not root?): " + said.strip());
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (!mounted) {
            return;
        }
        Process umount = new ProcessBuilder("umount", state.toString()).redirectErrorStream(true).start();
        if (!umount.waitFor(30, TimeUnit.SECONDS) || umount.exitValue() != 0) {
            new ProcessBuilder("umount", "-l", state.toString()).start().waitFor(30, TimeUnit.SECONDS); // still busy
        }
    }

    /** Fills the file system with {@code filler} until it is full; returns the bytes written. */
    private static long fill(Path filler) throws IOException {
        long written = 0;
        byte[] chunk = new byte[4096];
        try (FileOutputStream out = new FileOutputStream(filler.toFile())) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
        return written;
    }

    @ParameterizedTest(name = "model={0}")
    @ValueSource(strings = {"fork", "thread", "virtual", "event"})
    void aFullDiskRefusesAppendsWithFailKeepsServingAndRecoversWhenSpaceReturns(String model) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(state, "model=" + model, "pool_min_spare=2", "flood_line_cost=0");
             LoadClient pat = LoadClient.register(daemon.port(), "pat", WAIT);
             LoadClient bob = LoadClient.register(daemon.port(), "bob", WAIT);
             LoadClient cay = LoadClient.register(daemon.port(), "cay", WAIT)) {
            for (LoadClient c : List.of(pat, bob, cay)) {
                c.join("#disk", WAIT);
            }
            Path filler = state.resolve("filler");
            assertTrue(fill(filler) > 0);

            // the log's last page still has room for a few records; then write(2) fails or is cut short
            List<String> stored = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            for (int i = 1; i <= 200 && refused.size() < 3; i++) {
                String text = "message " + i + " " + "x".repeat(60);
                int mark = pat.mark();
                pat.send("PRIVMSG #disk :" + text);
                pat.require(() -> pat.count(text) > 0 || pat.sawSince(mark, l -> l.contains(" FAIL PRIVMSG WRITE_FAILED ")),
                        WAIT, "an echo or a FAIL for " + i);
                (pat.count(text) > 0 ? stored : refused).add(text);
            }
            assertEquals(3, refused.size(), "the full disk refused appends (stored first: " + stored.size() + ")");

            // the connection stays, and what needs no write is still served
            int mark = pat.mark();
            pat.send("NAMES #disk");
            pat.require(() -> pat.sawSince(mark, l -> l.contains(" 353 ") && l.contains("bob") && l.contains("cay")),
                    WAIT, "NAMES while the disk is full");
            assertFalse(pat.isClosed());
            // cay leaves while her Quit cannot be stored (bigger than the 130-byte record just refused)
            cay.send("QUIT :bye from a full disk " + "z".repeat(200));
            cay.require(cay::isClosed, WAIT, "close after QUIT");

            LogFile.Run verify = LogFile.forkchatd("log", "verify", LogFile.of(state).toString());
            assertEquals(0, verify.exit(), "nothing half-written: " + verify.output());
            List<String> inLog = LogFile.messageTexts(LogFile.of(state));
            for (String t : refused) {
                assertFalse(inLog.contains(t), "a refused message is not in the log: " + t);
            }

            Files.delete(filler); // space returns
            pat.send("PRIVMSG #disk :space is back");
            pat.require(() -> pat.count("space is back") == 1, WAIT, "an echo once space returned");
            bob.require(() -> bob.count("space is back") == 1, WAIT, "delivery once space returned");
            bob.require(() -> bob.sawLine(l -> l.contains(":cay!") && l.contains(" QUIT ")), WAIT,
                    "cay's QUIT, stored once space returned");
            int names = bob.mark();
            bob.send("NAMES #disk");
            bob.require(() -> bob.sawSince(names, l -> l.contains(" 353 ")), WAIT, "NAMES");
            assertTrue(bob.lines().subList(names, bob.lines().size()).stream()
                    .noneMatch(l -> l.contains(" 353 ") && l.contains("cay")), "no ghost of cay: " + bob.lines());

            for (String t : stored) {
                assertEquals(1, bob.count(t), "stored, so delivered once: " + t);
            }
            for (String t : refused) {
                assertEquals(0, bob.count(t), "refused, so never delivered: " + t);
                assertEquals(0, pat.count(t), "refused, so never echoed: " + t);
            }
            try (LoadClient dee = LoadClient.register(daemon.port(), "dee", WAIT)) {
                dee.join("#disk", WAIT);
            }
            System.out.printf("disk full (%s): %d stored in the last page's slack, %d refused with FAIL; recovered%n",
                    model, stored.size(), refused.size());
        }
    }
}
