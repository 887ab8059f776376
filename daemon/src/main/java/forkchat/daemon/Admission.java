package forkchat.daemon;

import forkchat.config.Config;
import forkchat.config.Settings;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The supervisor's admission limits, the same for every model, checked on the accept thread
 * before a connection reaches a worker or a thread (and before a byte of it is read):
 *
 * <ul>
 * <li>{@code max_clients} connections at once, {@code max_clients_per_address} from one address;</li>
 * <li>{@code max_registering} connections not registered yet (like sshd's MaxStartups: a flood
 *     of silent connections cannot take every slot);</li>
 * <li>{@code accept_rate} new connections per second from one address, as a token bucket with a
 *     burst of twice that;</li>
 * <li>an address with {@code auth_failures_max} failed logins within {@code auth_ban} is refused
 *     for {@code auth_ban}.</li>
 * </ul>
 *
 * An admitted connection holds a {@link Ticket} until it ends; every path returns it exactly
 * once. A refusal is a reason for one fixed ERROR line. Per-address state is dropped once an
 * address has nothing left to remember, so memory follows the live addresses, not the history.
 */
final class Admission {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Address> addresses = new HashMap<>();
    private volatile Config config;
    private int clients;
    private int registering;

    /** What is remembered of one source address. */
    private static final class Address {
        int clients;
        double tokens;
        long refilledAt;
        final ArrayDeque<Long> failures = new ArrayDeque<>();
        long bannedUntil;

        boolean idle(long now) {
            return clients == 0 && failures.isEmpty() && now - bannedUntil >= 0;
        }
    }

    /** A connection counted against the limits, until {@link #ended}. */
    final class Ticket {
        /** The source address, and "address:port" as read once at accept, for every log line. */
        final String address;
        final String peer;
        /** Whether it came through the TLS listener (its worker runs the handshake). */
        final boolean tls;
        private boolean registered;
        private boolean ended;

        private Ticket(String address, String peer, boolean tls) {
            this.address = address;
            this.peer = peer;
            this.tls = tls;
        }

        /** The client completed IRC registration: it no longer counts as registering. */
        void registered() {
            lock.lock();
            try {
                if (!registered && !ended) {
                    registered = true;
                    registering--;
                }
            } finally {
                lock.unlock();
            }
        }

        /** The connection is over (served, refused later, or failed): its slots are free again. */
        void ended() {
            lock.lock();
            try {
                if (ended) {
                    return;
                }
                ended = true;
                clients--;
                if (!registered) {
                    registering--;
                }
                Address a = addresses.get(address);
                if (a != null) {
                    a.clients--;
                    forgetIfIdle(a, System.nanoTime());
                }
            } finally {
                lock.unlock();
            }
        }

        /** A failed login on this connection (wrong password, unknown account). */
        void authenticationFailed() {
            Admission.this.authenticationFailed(address);
        }
    }

    /** Either a ticket, or the reason for the ERROR line. */
    record Decision(Ticket ticket, String refusal) {
    }

    Admission(Config config) {
        this.config = config;
    }

    void reconfigure(Config next) {
        config = next;
    }

    /**
     * @param peer "address:port" of the accepted connection
     * @param tls  whether it came through the TLS listener
     */
    Decision admit(String peer, boolean tls) {
        String address = peer.substring(0, peer.lastIndexOf(':'));
        Config c = config;
        long now = System.nanoTime();
        lock.lock();
        try {
            if (addresses.size() > 4096) {
                sweep(now);
            }
            Address a = addresses.computeIfAbsent(address, k -> {
                Address fresh = new Address();
                fresh.tokens = 2.0 * c.get(Settings.ACCEPT_RATE);
                fresh.refilledAt = now;
                return fresh;
            });
            String refusal = refusal(c, a, now);
            if (refusal != null) {
                forgetIfIdle(a, now);
                return new Decision(null, refusal);
            }
            a.tokens -= 1;
            a.clients++;
            clients++;
            registering++;
            return new Decision(new Ticket(address, peer, tls), null);
        } finally {
            lock.unlock();
        }
    }

    private String refusal(Config c, Address a, long now) {
        if (now - a.bannedUntil < 0) {
            return "Too many failed logins from your address, try again later";
        }
        int rate = c.get(Settings.ACCEPT_RATE);
        a.tokens = Math.min(2.0 * rate, a.tokens + (now - a.refilledAt) / 1e9 * rate);
        a.refilledAt = now;
        if (clients >= c.get(Settings.MAX_CLIENTS)) {
            return Refusal.serverFull(c.get(Settings.MAX_CLIENTS));
        }
        if (a.clients >= c.get(Settings.MAX_CLIENTS_PER_ADDRESS)) {
            return "Too many connections from your address (max_clients_per_address)";
        }
        if (registering >= c.get(Settings.MAX_REGISTERING)) {
            return "Too many connections registering at once (max_registering), try again later";
        }
        if (a.tokens < 1) {
            return "Connecting too fast from your address (accept_rate), try again later";
        }
        return null;
    }

    private void authenticationFailed(String address) {
        Config c = config;
        long now = System.nanoTime();
        long window = c.get(Settings.AUTH_BAN).toNanos();
        lock.lock();
        try {
            Address a = addresses.computeIfAbsent(address, k -> {
                Address fresh = new Address();
                fresh.tokens = 2.0 * c.get(Settings.ACCEPT_RATE);
                fresh.refilledAt = now;
                return fresh;
            });
            a.failures.add(now);
            while (!a.failures.isEmpty() && now - a.failures.peek() > window) {
                a.failures.poll();
            }
            if (a.failures.size() >= c.get(Settings.AUTH_FAILURES_MAX)) {
                a.bannedUntil = now + window;
                a.failures.clear();
                org.slf4j.LoggerFactory.getLogger(Admission.class).warn(
                        "{} failed {} logins; refusing it for {} s", address, c.get(Settings.AUTH_FAILURES_MAX),
                        TimeUnit.NANOSECONDS.toSeconds(window));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops an address once it has nothing to remember: no connection, failure, ban or used token. */
    private void forgetIfIdle(Address a, long now) {
        int rate = config.get(Settings.ACCEPT_RATE);
        double tokens = Math.min(2.0 * rate, a.tokens + (now - a.refilledAt) / 1e9 * rate);
        if (a.idle(now) && tokens >= 2.0 * rate - 1e-9) {
            addresses.values().remove(a);
        }
    }

    /** Many remembered addresses: forget every one that has nothing left to remember. */
    private void sweep(long now) {
        for (Address a : addresses.values().toArray(Address[]::new)) {
            forgetIfIdle(a, now);
        }
    }
}
