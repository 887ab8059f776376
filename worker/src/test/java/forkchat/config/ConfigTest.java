package forkchat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.ipc.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreTheCatalogsDefaults() {
        Config c = Config.defaults();
        assertEquals(new HostPort("127.0.0.1", 6667), c.get(Settings.LISTEN));
        assertEquals(50, c.get(Settings.HISTORY_ON_JOIN));
        assertEquals(Duration.ofSeconds(90), c.get(Settings.PING_INTERVAL));
        assertEquals(Durability.INTERVAL, c.get(Settings.FSYNC));
        assertEquals(c.stateDir().resolve("run"), c.runtimeDir());
        assertEquals(c.stateDir().resolve("log"), c.logDir());
    }

    @Test
    void commandLineOverridesWinOverTheFileWhichWinsOverDefaults() throws IOException {
        Path file = dir.resolve("forkchatd.conf");
        Files.writeString(file, """
                # a comment
                max_clients = 10
                  server_name=chat.example.org   \s

                ping_interval = 2m
                """);
        Config c = Config.load(file, List.of("max_clients=20", "fsync=always"));
        assertEquals(20, c.get(Settings.MAX_CLIENTS));
        assertEquals("chat.example.org", c.get(Settings.SERVER_NAME));
        assertEquals(Duration.ofMinutes(2), c.get(Settings.PING_INTERVAL));
        assertEquals(Durability.ALWAYS, c.get(Settings.FSYNC));
    }

    @Test
    void aBadValueIsRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.load(null, List.of("max_clients=lots")));
        assertTrue(e.getMessage().startsWith("max_clients:"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Config.load(null, List.of("ping_timeout=soon")));
        assertTrue(e.getMessage().startsWith("ping_timeout:"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Config.load(null, List.of("listen=localhost")));
        assertTrue(e.getMessage().startsWith("listen:"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Config.load(null, List.of("fsync=sometimes")));
        assertTrue(e.getMessage().contains("always, interval, never"), e.getMessage());
    }

    @Test
    void anUnknownKeyOrAMalformedLineIsRefusedWithItsPlace() throws IOException {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "max_clients = 5\nmax_client = 6\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Config.load(file, List.of()));
        assertTrue(e.getMessage().contains("bad.conf:2") && e.getMessage().contains("max_client"), e.getMessage());
        Files.writeString(file, "just words\n");
        e = assertThrows(ConfigException.class, () -> Config.load(file, List.of()));
        assertTrue(e.getMessage().contains("bad.conf:1"), e.getMessage());
    }

    @Test
    void settingsThatContradictEachOtherAreRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.load(null, List.of("pool_min_spare=9", "pool_max_spare=3")));
        assertTrue(e.getMessage().contains("pool_min_spare"), e.getMessage());
    }

    @Test
    void overridesRoundTripSoAWorkerSeesWhatTheSupervisorSees() {
        Config supervisor = Config.load(null, List.of("history_on_join=7", "server_name=irc.test"));
        Config worker = Config.load(null, supervisor.asOverrides());
        for (Setting<?> s : Settings.all()) {
            assertEquals(supervisor.get(s), worker.get(s), s.key());
        }
    }

    @Test
    void theSampleConfigListsEverySettingAndParsesOnceUncommented() throws IOException {
        String sample = Settings.sampleConfig();
        for (Setting<?> s : Settings.all()) {
            assertTrue(sample.contains("#" + s.key() + " = "), s.key());
        }
        Path file = dir.resolve("sample.conf");
        Files.writeString(file, sample.replaceAll("(?m)^#([a-z_]+ = )", "$1"));
        Config c = Config.load(file, List.of());
        assertEquals(Config.defaults().get(Settings.MAX_CLIENTS), c.get(Settings.MAX_CLIENTS));
    }

    @Test
    void durationsTakeUnits() {
        assertEquals(Duration.ofMillis(500), Config.load(null, List.of("worker_wait=500ms")).get(Settings.WORKER_WAIT));
        assertEquals(Duration.ofSeconds(30), Config.load(null, List.of("worker_wait=30")).get(Settings.WORKER_WAIT));
        assertEquals(Duration.ofHours(1), Config.load(null, List.of("ping_timeout=1h")).get(Settings.PING_TIMEOUT));
    }

    /** The README's settings table is written by hand: it must name every setting of the catalog. */
    @Test
    void logSizesAndAgesTakeUnitsAndZeroMeansNoLimit() {
        assertEquals(64L << 20, Config.defaults().get(Settings.LOG_SEGMENT_SIZE));
        assertEquals(1L << 30, Config.defaults().get(Settings.LOG_RETENTION_SIZE));
        assertEquals(Duration.ZERO, Config.defaults().get(Settings.LOG_RETENTION_AGE));
        assertEquals(512L << 10, Config.load(null, List.of("log_segment_size=512k")).get(Settings.LOG_SEGMENT_SIZE));
        assertEquals(0L, Config.load(null, List.of("log_retention_size=0")).get(Settings.LOG_RETENTION_SIZE));
        assertEquals(5L << 40, Config.load(null, List.of("log_retention_size=5T")).get(Settings.LOG_RETENTION_SIZE));
        assertEquals(Duration.ofDays(90), Config.load(null, List.of("log_retention_age=90d")).get(Settings.LOG_RETENTION_AGE));
        assertEquals(Duration.ZERO, Config.load(null, List.of("log_retention_age=0")).get(Settings.LOG_RETENTION_AGE));
        ConfigException small = assertThrows(ConfigException.class,
                () -> Config.load(null, List.of("log_segment_size=1k")));
        assertTrue(small.getMessage().contains("log_segment_size") && small.getMessage().contains("between 64k and 1g"),
                small.getMessage());
        ConfigException zero = assertThrows(ConfigException.class, () -> Config.load(null, List.of("log_segment_size=0")));
        assertTrue(zero.getMessage().contains("log_segment_size"), zero.getMessage());
        assertThrows(ConfigException.class, () -> Config.load(null, List.of("log_retention_size=lots")));
        assertThrows(ConfigException.class, () -> Config.load(null, List.of("log_retention_size=99999999999999999999g")));
        assertThrows(ConfigException.class, () -> Config.load(null, List.of("log_retention_age=500ms")));
    }

    @Test
    void theReadmeDocumentsEverySetting() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (Setting<?> s : Settings.all()) {
            assertTrue(readme.contains("| `" + s.key() + "` |"), "README.md's settings table lacks " + s.key());
        }
    }
}
