package forkchat.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/install.sh, run for real with {@code --root} into a temporary directory: it lays out a
 * service for Linux and for FreeBSD, is idempotent, and never replaces an admin's config. (As
 * --root implies, it creates no user and starts nothing.)
 */
class InstallScriptTest {

    private static final Path INSTALL = ServiceFilesTest.SCRIPTS.resolve("install.sh");

    @Test
    void linuxInstallLaysOutTheSystemdService(@TempDir Path root) throws Exception {
        Command install = install(root, "linux");
        assertEquals(0, install.exitCode(), install.describe());

        assertTrue(Files.isExecutable(root.resolve("opt/forkchat/bin/forkchatd")));
        assertEquals(Path.of("/opt/forkchat/bin/forkchatd"), Files.readSymbolicLink(root.resolve("usr/local/bin/forkchatd")));
        assertEquals(Path.of("/opt/forkchat/bin/forkchat"), Files.readSymbolicLink(root.resolve("usr/local/bin/forkchat")));
        assertEquals(Files.readString(ServiceFilesTest.SCRIPTS.resolve("systemd/forkchatd.service")),
                Files.readString(root.resolve("etc/systemd/system/forkchatd.service")));
        Path config = root.resolve("etc/forkchat/forkchatd.conf");
        String text = Files.readString(config);
        assertTrue(text.contains("\nstate_dir = /var/lib/forkchat\n"), text);
        assertTrue(text.contains("\nruntime_dir = /run/forkchat\n"), text);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("var/lib/forkchat"))));
        assertTrue(install.stdout().contains("check-config /etc/forkchat/forkchatd.conf: ok"), install.describe());
    }

    @Test
    void freebsdInstallLaysOutTheRcScript(@TempDir Path root) throws Exception {
        Command install = install(root, "freebsd");
        assertEquals(0, install.exitCode(), install.describe());

        assertTrue(Files.isExecutable(root.resolve("usr/local/forkchat/bin/forkchatd")));
        assertEquals(Path.of("/usr/local/forkchat/bin/forkchatd"), Files.readSymbolicLink(root.resolve("usr/local/bin/forkchatd")));
        Path rc = root.resolve("usr/local/etc/rc.d/forkchatd");
        assertEquals("r-xr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(rc)));
        assertEquals(Files.readString(ServiceFilesTest.SCRIPTS.resolve("rc.d/forkchatd")), Files.readString(rc));
        String text = Files.readString(root.resolve("usr/local/etc/forkchat/forkchatd.conf"));
        assertTrue(text.contains("\nstate_dir = /var/db/forkchat\n"), text);
        assertTrue(text.contains("\nruntime_dir = /var/run/forkchat\n"), text);
    }

    @Test
    void aSecondInstallKeepsTheAdminsConfigAndChangesNothingElse(@TempDir Path root) throws Exception {
        assertEquals(0, install(root, "linux").exitCode());
        Path config = root.resolve("etc/forkchat/forkchatd.conf");
        Files.writeString(config, "max_clients = 7\n", StandardOpenOption.APPEND);
        String edited = Files.readString(config);

        Command again = install(root, "linux");
        assertEquals(0, again.exitCode(), again.describe());
        assertEquals(edited, Files.readString(config));
        assertTrue(again.stdout().contains("keeping /etc/forkchat/forkchatd.conf"), again.describe());
        assertTrue(again.stdout().contains("/etc/systemd/system/forkchatd.service is up to date"), again.describe());
        assertTrue(Files.isSymbolicLink(root.resolve("usr/local/bin/forkchatd")));
        assertTrue(Files.notExists(root.resolve("opt/forkchat.old"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aDryRunChangesNothing(@TempDir Path root) throws Exception {
        Command dry = Command.run("sh", INSTALL.toString(), "--dry-run", "--root", root.toString(), "--os", "linux",
                ArchiveTest.ARCHIVE.toString());
        assertEquals(0, dry.exitCode(), dry.describe());
        assertTrue(dry.stdout().contains("would run: install -m 0644"), dry.describe());
        try (var left = Files.list(root)) {
            assertEquals(0, left.count(), "--dry-run wrote into the root");
        }
    }

    @Test
    void itRefusesToReplaceADirectoryThatIsNotAForkchatInstallation(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("opt/forkchat"));
        Files.writeString(root.resolve("opt/forkchat/precious"), "not ours\n");
        Command install = install(root, "linux");
        assertNotEquals(0, install.exitCode(), install.describe());
        assertTrue(Files.exists(root.resolve("opt/forkchat/precious")));
    }

    private static Command install(Path root, String os) throws Exception {
        return Command.run(ArchiveTest.jdk(), "sh", INSTALL.toString(), "--root", root.toString(), "--os", os,
                ArchiveTest.ARCHIVE.toString());
    }
}
