package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which reloads need new worker JVMs: only those that change what a worker reads. */
class WorkerReloadTest {

    private static final Config BASE = Config.load(null, List.of("listen=127.0.0.1:0"));

    @Test
    void limitsAndPoolSizesAreTheSupervisorsOwn() {
        assertTrue(WorkerPool.workersSeeNoChange(BASE, BASE.with(List.of("max_clients_per_address=3",
                "pool_min_spare=4", "pool_max_spare=9", "accept_rate=2", "max_registering=5", "worker_wait=2s"))));
    }

    @Test
    void chatSettingsLogLevelAndWorkerOptionsNeedNewWorkers() {
        for (String change : List.of("history_on_join=5", "auth=accounts", "log_level=debug", "ping_timeout=30s",
                "worker_jvm_options=-Xmx40m", "server_name=chat.example.org")) {
            assertFalse(WorkerPool.workersSeeNoChange(BASE, BASE.with(List.of(change))), change);
        }
    }
}
