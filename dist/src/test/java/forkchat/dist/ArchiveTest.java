package forkchat.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive that {@code mvn package} makes: its layout, its sample config (the
 * settings catalog itself), and launchers that run from it without Maven.
 */
class ArchiveTest {

    static final Path ARCHIVE = Path.of(System.getProperty("forkchat.archive", "target/forkchat.tar.gz"));
    private static final String ROOT = System.getProperty("forkchat.archive.root", "forkchat");
    private static final String VERSION = ROOT.substring(ROOT.indexOf('-') + 1);

    @TempDir
    static Path unpacked;
    private static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        assertTrue(Files.isRegularFile(ARCHIVE), ARCHIVE + " is missing: 'mvn package' makes it");
        Command tar = Command.run("tar", "-xzf", ARCHIVE.toString(), "-C", unpacked.toString());
        assertEquals(0, tar.exitCode(), tar.describe());
        home = unpacked.resolve(ROOT);
    }

    @Test
    void everythingIsInOneVersionedDirectory() throws Exception {
        try (Stream<Path> top = Files.list(unpacked)) {
            assertEquals(List.of(home), top.toList());
        }
    }

    @Test
    void itHoldsTheLaunchersTheSampleConfigAndTheServiceFiles() throws Exception {
        for (String program : List.of("bin/forkchatd", "bin/forkchat", "install.sh", "share/rc.d/forkchatd")) {
            assertTrue(Files.isExecutable(home.resolve(program)), program + " is an executable");
        }
        for (String file : List.of("lib/jdk.sh", "etc/forkchatd.conf", "share/systemd/forkchatd.service", "README.md")) {
            assertTrue(Files.isRegularFile(home.resolve(file)), file);
        }
        Path scripts = ServiceFilesTest.SCRIPTS;
        assertEquals(Files.readString(scripts.resolve("systemd/forkchatd.service")),
                Files.readString(home.resolve("share/systemd/forkchatd.service")));
        assertEquals(Files.readString(scripts.resolve("rc.d/forkchatd")), Files.readString(home.resolve("share/rc.d/forkchatd")));
        assertEquals(Files.readString(scripts.resolve("lib/jdk.sh")), Files.readString(home.resolve("lib/jdk.sh")),
                "the launchers find their JDK with the source tree's jdk.sh");
    }

    @Test
    void libHoldsEveryRuntimeJarOnce() throws Exception {
        List<String> jars;
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            jars = lib.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
        for (String module : List.of("ipc", "chat", "worker", "daemon", "client")) {
            assertTrue(jars.contains("forkchat-" + module + "-" + VERSION + ".jar"), module + " in " + jars);
        }
        assertTrue(jars.stream().anyMatch(n -> n.matches("jffi-.*-native\\.jar")), "jffi's native library: " + jars);
        assertTrue(jars.stream().anyMatch(n -> n.startsWith("logback-classic-")), "a logging binding: " + jars);
        // one version of each artifact: the launchers put every jar in lib/ on the class path
        Map<String, List<String>> byArtifact = jars.stream().collect(Collectors.groupingBy(
                n -> n.replaceFirst("-\\d[^-]*(-SNAPSHOT)?(?=(-[A-Za-z]+)?\\.jar$)", ""), TreeMap::new, Collectors.toList()));
        byArtifact.forEach((artifact, files) -> assertEquals(1, files.size(), artifact + " more than once: " + files));
    }

    @Test
    void theSampleConfigIsTheSettingsCatalog() throws Exception {
        assertEquals(Settings.sampleConfig(), Files.readString(home.resolve("etc/forkchatd.conf")));
    }

    @Test
    void theDaemonLauncherRunsFromTheArchive() throws Exception {
        Command settings = Command.run(jdk(), home.resolve("bin/forkchatd").toString(), "settings");
        assertEquals(0, settings.exitCode(), settings.describe());
        assertEquals(Settings.sampleConfig(), settings.stdout());
    }

    @Test
    void theClientLauncherRunsFromTheArchive() throws Exception {
        Command version = Command.run(jdk(), home.resolve("bin/forkchat").toString(), "--version");
        assertEquals(0, version.exitCode(), version.describe());
        assertFalse(version.stdout().isBlank(), version.describe());
    }

    /** The JDK running the tests (>= 21), for the launchers. */
    static Map<String, String> jdk() {
        return Map.of("JAVA_HOME", System.getProperty("java.home"));
    }
}
