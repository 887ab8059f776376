package forkchat.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import forkchat.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd unit and the FreeBSD rc.d script: they parse, and they run forkchatd the way
 * issue 6 asks (readiness by sd_notify, reload by SIGHUP to the supervisor JVM, a stop the
 * supervisor carries out itself, a pidfile naming the JVM, no hardening that breaks a JVM).
 */
class ServiceFilesTest {

    static final Path SCRIPTS = Path.of(System.getProperty("forkchat.scripts", "../scripts")).toAbsolutePath().normalize();
    private static final Path UNIT = SCRIPTS.resolve("systemd/forkchatd.service");
    private static final Path RC_SCRIPT = SCRIPTS.resolve("rc.d/forkchatd");

    @Test
    void rcScriptParsesWithSh() throws Exception {
        Command check = Command.run("sh", "-n", RC_SCRIPT.toString());
        assertEquals(0, check.exitCode(), check.describe());
        assertEquals("", check.stderr());
    }

    @Test
    void rcScriptHasTheRcConfKnobsWithTheirDefaults() throws Exception {
        String rc = Files.readString(RC_SCRIPT);
        assertTrue(rc.contains("\n. /etc/rc.subr\n"), "uses rc.subr");
        assertTrue(rc.contains("\nrcvar=forkchatd_enable\n"));
        assertTrue(rc.contains(": ${forkchatd_enable:=NO}"));
        assertTrue(rc.contains(": ${forkchatd_config:=/usr/local/etc/forkchat/forkchatd.conf}"));
        assertTrue(rc.contains(": ${forkchatd_user:=forkchat}"));
        assertTrue(rc.contains(": ${forkchatd_java_home:="));
        assertTrue(rc.contains("\nrun_rc_command \"$1\"\n"));
    }

    @Test
    void rcScriptRunsTheJvmUnderDaemon8WithTheChildsPidfile() throws Exception {
        String rc = Files.readString(RC_SCRIPT);
        assertEquals("/usr/sbin/daemon", assignment(rc, "command"));
        // daemon(8)'s own options: everything before the launcher
        String args = assignment(rc, "command_args");
        String daemonOptions = args.substring(0, args.indexOf("${forkchatd_home}/bin/forkchatd"));
        assertTrue(daemonOptions.contains("-p ${pidfile}"), "the pidfile is the child's (the JVM's): " + args);
        for (String option : daemonOptions.trim().split("\\s+")) {
            // -P would name daemon(8) itself; -r would bring the JVM back after every stop
            assertFalse(option.matches("-[A-Za-z]*[Pr][A-Za-z]*"), "daemon(8) option " + option + " in " + args);
        }
        assertTrue(assignment(rc, "procname").endsWith("/bin/java"), "procname is the java binary");
        assertTrue(assignment(rc, "pidfile").startsWith("${forkchatd_runtime_dir}/"));
        assertTrue(assignment(rc, "extra_commands").contains("reload"), "reload: SIGHUP (rc.subr's default) to the pidfile's process");
        assertFalse(rc.contains("sig_reload="), "reload keeps rc.subr's SIGHUP");
        assertTrue(rc.contains("install -d -o \"${forkchatd_user}\" -g \"${forkchatd_group}\" -m 0700"),
                "start_precmd creates the state and runtime directories");
        assertEquals("/var/db/forkchat", assignment(rc, "forkchatd_state_dir"));
    }

    @Test
    void unitPassesSystemdAnalyzeVerify(@TempDir Path dir) throws Exception {
        assumeTrue(Command.onPath("systemd-analyze"), "systemd-analyze is not installed here: the unit is not verified");
        // ExecStart names the installed launcher, which exists once install.sh ran: point it at
        // the source tree's launcher, so that verify checks everything else.
        String original = Files.readString(UNIT);
        String unit = original.replace("/opt/forkchat/bin/forkchatd", SCRIPTS.resolve("forkchatd").toString());
        assertNotEquals(original, unit, "ExecStart runs /opt/forkchat/bin/forkchatd");
        Path copy = Files.writeString(dir.resolve("forkchatd.service"), unit);
        Command verify = Command.run("systemd-analyze", "verify", "--man=no", copy.toString());
        assertEquals(0, verify.exitCode(), verify.describe());
        assertFalse(verify.stderr().contains("forkchatd.service"), verify.describe());
    }

    @Test
    void unitIsANotifyServiceThatTheSupervisorReloadsAndStops() throws Exception {
        Map<String, List<String>> service = section(UNIT, "Service");
        assertEquals(List.of("notify"), service.get("Type"));
        assertEquals(List.of("main"), service.get("NotifyAccess"));
        assertEquals(List.of("mixed"), service.get("KillMode"));
        assertEquals(List.of("on-failure"), service.get("Restart"));
        assertEquals(1, service.get("ExecReload").size());
        assertTrue(service.get("ExecReload").get(0).matches("/bin/kill -(HUP|SIGHUP|s HUP) \\$MAINPID"),
                "ExecReload: " + service.get("ExecReload"));
        assertTrue(service.get("ExecStart").get(0).contains("--config /etc/forkchat/forkchatd.conf"));
        assertEquals(List.of("forkchat"), service.get("StateDirectory"));
        assertEquals(List.of("forkchat"), service.get("RuntimeDirectory"));
        assertEquals(List.of("0700"), service.get("RuntimeDirectoryMode"));
        assertTrue(service.containsKey("User") || service.containsKey("DynamicUser"), "a dedicated or dynamic user");
    }

    @Test
    void unitHardeningLeavesTheJvmItsJitAndItsWorkers() throws Exception {
        Map<String, List<String>> service = section(UNIT, "Service");
        assertFalse(service.containsKey("MemoryDenyWriteExecute"), "the JIT writes code and runs it");
        for (String filter : service.getOrDefault("SystemCallFilter", List.of())) {
            assertFalse(filter.startsWith("~") && filter.contains("@process"), "workers are forked JVMs: " + filter);
        }
        assertEquals(List.of("yes"), service.get("NoNewPrivileges"));
        assertEquals(List.of("strict"), service.get("ProtectSystem"));
        assertEquals(List.of(""), service.get("CapabilityBoundingSet"));
        assertTrue(service.get("RestrictAddressFamilies").get(0).contains("AF_UNIX"), "handoff.sock and NOTIFY_SOCKET");
    }

    @Test
    void unitWaitsLongerThanTheShutdownTimeout() throws Exception {
        Duration shutdown = Settings.SHUTDOWN_TIMEOUT.parseValue(Settings.SHUTDOWN_TIMEOUT.defaultText());
        Duration stop = systemdSeconds(section(UNIT, "Service").get("TimeoutStopSec").get(0));
        assertTrue(stop.compareTo(shutdown) > 0, "TimeoutStopSec " + stop + " must exceed shutdown_timeout " + shutdown);
    }

    /** The value of a shell assignment {@code name=value} at the start of a line, unquoted. */
    private static String assignment(String script, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "=(.*)$").matcher(script);
        assertTrue(m.find(), "no " + name + "= line");
        String value = m.group(1).strip();
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    /** The settings of one [section] of a unit file, in order; a key set twice has two values. */
    static Map<String, List<String>> section(Path unitFile, String name) throws Exception {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        String current = "";
        for (String raw : Files.readAllLines(unitFile)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = line.substring(1, line.length() - 1);
            } else if (current.equals(name) && line.contains("=")) {
                int eq = line.indexOf('=');
                settings.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                        .add(line.substring(eq + 1).strip());
            }
        }
        return settings;
    }

    /** A systemd time span in the forms this unit uses: "15", "15s", "2min". */
    private static Duration systemdSeconds(String span) {
        Matcher m = Pattern.compile("(\\d+)\\s*(s|sec|min)?").matcher(span);
        assertTrue(m.matches(), "unexpected time span " + span);
        long n = Long.parseLong(m.group(1));
        return "min".equals(m.group(2)) ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
    }
}
