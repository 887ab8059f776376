package forkchat.config;

import static forkchat.config.Values.anyText;
import static forkchat.config.Values.durationBetween;
import static forkchat.config.Values.hostPort;
import static forkchat.config.Values.hostname;
import static forkchat.config.Values.intBetween;
import static forkchat.config.Values.oneOf;
import static forkchat.config.Values.yesNo;

import forkchat.chat.AuthMode;
import forkchat.ipc.Durability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of forkchatd, once: key, default, one-line meaning, parser. The config file, the
 * {@code -c key=value} options, {@code forkchatd settings} and the README table all come from
 * here. The supervisor hands the effective settings to each worker JVM it spawns as {@code -c}
 * options, so both sides read them through this one catalog.
 */
public final class Settings {

    private static final Map<String, Setting<?>> ALL = new LinkedHashMap<>();

    // --- where things are ---
    public static final Setting<HostPort> LISTEN = define("listen", "127.0.0.1:6667",
            "address:port of the plain-text IRC listener (port 0 picks a free port)", hostPort());
    public static final Setting<String> TLS_LISTEN = define("tls_listen", "",
            "address:port of the TLS IRC listener, e.g. 0.0.0.0:6697 (needs tls_certificate and tls_key);"
                    + " empty means none", Values.optional(hostPort()));
    public static final Setting<String> TLS_CERTIFICATE = define("tls_certificate", "",
            "PEM certificate chain, server certificate first (Let's Encrypt's fullchain.pem); re-read on SIGHUP",
            anyText());
    public static final Setting<String> TLS_KEY = define("tls_key", "",
            "PEM private key of that certificate (Let's Encrypt's privkey.pem); re-read on SIGHUP", anyText());
    public static final Setting<Path> STATE_DIR = define("state_dir", "./var",
            "directory of the message log (log/) and accounts; created 0700 if missing", Path::of);
    public static final Setting<String> RUNTIME_DIR = define("runtime_dir", "",
            "directory of handoff.sock, kept 0700; empty means <state_dir>/run", anyText());

    // --- identity ---
    public static final Setting<String> SERVER_NAME = define("server_name", "forkchat.local",
            "the server's name in every IRC line", hostname());
    public static final Setting<String> NETWORK = define("network", "forkchat",
            "network name announced in the welcome (001) and ISUPPORT (005)", hostname());
    public static final Setting<String> MOTD_FILE = define("motd_file", "",
            "text file shown as the message of the day; empty means none (422)", anyText());
    public static final Setting<AuthMode> AUTH = define("auth", "open",
            "open: any free nick, no password; accounts: the nick is an account, proved with SASL PLAIN or PASS",
            oneOf(AuthMode.class));
    public static final Setting<Boolean> LOGIN_REQUIRES_TLS = define("login_requires_tls", "yes",
            "accounts mode: SASL and PASS only over TLS or from loopback, so no password crosses a network in clear",
            yesNo());

    // --- the model and its pool ---
    public static final Setting<Model> MODEL = define("model", "fork",
            "how a client gets a flow of control: fork (a worker JVM each), thread (a platform thread each),"
                    + " virtual (a virtual thread each) or event (one selector loop)", oneOf(Model.class));
    public static final Setting<Integer> MAX_CLIENTS = define("max_clients", "128",
            "connections served at once; the next one gets an ERROR line and is closed", intBetween(1, 100_000));
    public static final Setting<Integer> MAX_CLIENTS_PER_ADDRESS = define("max_clients_per_address", "16",
            "connections from one address served at once; the next one gets an ERROR line", intBetween(1, 100_000));
    public static final Setting<Integer> MAX_REGISTERING = define("max_registering", "32",
            "connections accepted but not yet registered (like sshd's MaxStartups); more get an ERROR line",
            intBetween(1, 100_000));
    public static final Setting<Integer> ACCEPT_RATE = define("accept_rate", "10",
            "new connections per second from one address (bursts of twice that); faster ones get an ERROR line",
            intBetween(1, 100_000));
    public static final Setting<Integer> AUTH_FAILURES_MAX = define("auth_failures_max", "10",
            "failed logins from one address within auth_ban before that address is refused for auth_ban",
            intBetween(1, 100_000));
    public static final Setting<Duration> AUTH_BAN = define("auth_ban", "10m",
            "how long an address that failed too many logins is refused",
            durationBetween(Duration.ofSeconds(1), Duration.ofDays(7)));
    public static final Setting<Integer> POOL_MIN_SPARE = define("pool_min_spare", "2",
            "idle pre-started worker JVMs kept ready for the next connections", intBetween(0, 1_000));
    public static final Setting<Integer> POOL_MAX_SPARE = define("pool_max_spare", "8",
            "idle worker JVMs beyond this many are stopped", intBetween(1, 1_000));
    public static final Setting<Duration> WORKER_WAIT = define("worker_wait", "15s",
            "how long an accepted connection may wait for an idle worker before it is refused",
            durationBetween(Duration.ofMillis(100), Duration.ofMinutes(5)));
    public static final Setting<String> WORKER_JVM_OPTIONS = define("worker_jvm_options",
            // Each flag below was measured on a worker's PSS (docs/BENCHMARKS.md, "fourth round"): a
            // 1 MB young generation and an old one kept near its live data; string and symbol
            // tables sized for one client, not for an application server; jnr-ffi's x86 stub
            // assembler left out (its tables and code cost more than its calls save here).
            "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss256k -Xms4m -Xmn1m -Xmx32m"
                    + " -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
                    + " -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=64m -XX:StringTableSize=4096"
                    + " -XX:+UnlockExperimentalVMOptions -XX:SymbolTableSize=8192 -XX:-UsePerfData"
                    + " -Djnr.ffi.x86asm.enabled=false",
            "JVM options of every worker JVM (small footprint by default)", anyText());
    public static final Setting<Boolean> WORKER_CDS = define("worker_cds", "yes",
            "record a class-data-sharing archive of the workers' classes at start (<state_dir>/worker.jsa) and start"
                    + " workers with it: their class pages are shared, each uses less memory", yesNo());
    public static final Setting<Duration> SHUTDOWN_TIMEOUT = define("shutdown_timeout", "10s",
            "on SIGTERM, how long workers get to say goodbye before they are killed",
            durationBetween(Duration.ofMillis(100), Duration.ofMinutes(10)));

    // --- the log ---
    public static final Setting<Durability> FSYNC = define("fsync", "interval",
            "always: every message is on disk before it is acknowledged; interval: synced every second"
                    + " (a power loss costs at most ~1 s); never: left to the kernel (up to ~30 s)",
            oneOf(Durability.class));
    public static final Setting<Long> LOG_SEGMENT_SIZE = define("log_segment_size", "64m",
            "the log is kept in segment files of about this size ($state_dir/log); retention removes whole segments",
            Values.sizeBetween(64 << 10, 1L << 30, false));
    public static final Setting<Long> LOG_RETENTION_SIZE = define("log_retention_size", "1g",
            "the oldest segments are removed while the log is larger, never the last 64m (history's reach); 0: no limit",
            Values.sizeBetween(1 << 20, 1L << 50, true));
    public static final Setting<Duration> LOG_RETENTION_AGE = define("log_retention_age", "0",
            "records older than this are removed (within a tenth of it, at most a day, later), e.g. 90d; 0: kept",
            Values.durationOrNone(Duration.ofSeconds(1), Duration.ofDays(36500)));
    public static final Setting<Integer> HISTORY_ON_JOIN = define("history_on_join", "50",
            "messages of a channel replayed to a client when it joins", intBetween(0, 10_000));
    public static final Setting<Integer> OFFLINE_DELIVERY_MAX = define("offline_delivery_max", "200",
            "accounts mode: most messages (private and in its channels) delivered to an account that was away;"
                    + " 0 turns offline delivery off", intBetween(0, 10_000));

    // --- per-client protection ---
    public static final Setting<Duration> PING_INTERVAL = define("ping_interval", "90s",
            "a client silent this long is sent a PING", durationBetween(Duration.ofSeconds(1), Duration.ofHours(1)));
    public static final Setting<Duration> PING_TIMEOUT = define("ping_timeout", "120s",
            "a client that then stays silent this long is disconnected",
            durationBetween(Duration.ofSeconds(1), Duration.ofHours(1)));
    public static final Setting<Duration> REGISTRATION_TIMEOUT = define("registration_timeout", "60s",
            "a connection not registered (NICK and USER) after this long is closed",
            durationBetween(Duration.ofSeconds(1), Duration.ofHours(1)));
    public static final Setting<Integer> MAX_CHANNELS_PER_CLIENT = define("max_channels_per_client", "50",
            "channels one client may be in at once (405 beyond)", intBetween(1, 10_000));
    public static final Setting<Duration> FLOOD_LINE_COST = define("flood_line_cost", "500ms",
            "flood control: penalty time each client line adds (the sustained rate is one line per this); 0 is off",
            durationBetween(Duration.ZERO, Duration.ofMinutes(1)));
    public static final Setting<Integer> FLOOD_BURST = define("flood_burst", "10",
            "flood control: lines a client may send at once before its reading is delayed", intBetween(1, 10_000));
    public static final Setting<Duration> FLOOD_EXCESS = define("flood_excess", "10s",
            "flood control: penalty beyond the burst at which a client is disconnected (Excess Flood)",
            durationBetween(Duration.ZERO, Duration.ofHours(1)));

    // --- running as a service ---
    public static final Setting<String> PID_FILE = define("pid_file", "",
            "file the supervisor's pid is written to once it is ready, removed at stop; empty means none",
            anyText());

    // --- logging ---
    public static final Setting<String> LOG_FILE = define("log_file", "",
            "file to log to instead of stderr (reopened on SIGHUP, for log rotation); empty means stderr",
            anyText());
    public static final Setting<String> LOG_LEVEL = define("log_level", "info",
            "error, warn, info, debug or trace", text -> {
                if (!text.matches("(?i)error|warn|info|debug|trace")) {
                    throw new IllegalArgumentException("must be error, warn, info, debug or trace");
                }
                return text.toLowerCase(java.util.Locale.ROOT);
            });

    private Settings() {
    }

    private static <T> Setting<T> define(String key, String defaultText, String meaning,
                                         java.util.function.Function<String, T> parse) {
        Setting<T> setting = new Setting<>(key, defaultText, meaning, parse);
        if (ALL.put(key, setting) != null) {
            throw new IllegalStateException("setting defined twice: " + key);
        }
        return setting;
    }

    /** Every setting, in catalog order. */
    public static List<Setting<?>> all() {
        return Collections.unmodifiableList(new ArrayList<>(ALL.values()));
    }

    /** The setting named {@code key}, or null. */
    public static Setting<?> byKey(String key) {
        return ALL.get(key);
    }

    /** The catalog as a commented config file: every setting with its default and meaning. */
    public static String sampleConfig() {
        StringBuilder out = new StringBuilder();
        out.append("# forkchatd configuration: key = value, '#' starts a comment.\n");
        out.append("# Every setting is shown with its default. Override any with -c key=value.\n");
        for (Setting<?> s : ALL.values()) {
            out.append("\n# ").append(s.meaning()).append('\n');
            out.append("#").append(s.key()).append(" = ").append(s.defaultText()).append('\n');
        }
        return out.toString();
    }
}
