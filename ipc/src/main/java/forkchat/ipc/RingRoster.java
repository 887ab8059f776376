package forkchat.ipc;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Who listens for what: a small file every worker maps, so that a record concerning one channel
 * rings only the workers whose clients are in it instead of the whole process group.
 *
 * <p>Each worker with a client claims a slot: its pid and a set of keys (folded channel names)
 * kept as a 1024-bit Bloom filter, one bit per key. A false positive only rings a worker that
 * then finds nothing for it, as every worker did before; a missing bit would delay a delivery,
 * so a worker sets a key's bit <em>before</em> it appends the record that makes it a listener
 * (its Join). The append takes the log's exclusive lock after that store, and whoever appends
 * later takes the same lock before it reads the roster, so a writer whose record follows the
 * Join in the log always sees the bit. Bits are never cleared while the slot is held: a worker
 * that parted a channel is rung for it in vain, which costs what every ring used to.
 *
 * <p>When no slot is free, the claim fails and the roster is marked {@link #overflowed()}: from
 * then on every ring goes to the whole group, since a worker without a slot can be reached no
 * other way. Slots are freed by the worker as it exits and by the supervisor when it reaps one
 * that did not (a SIGKILL); a ring checks a pid's process group before it signals it, so a slot
 * left behind cannot make a stranger's process receive SIGUSR1.
 *
 * <p>Layout, native byte order: a 64-byte header (magic, version, slot count, overflow flag,
 * highest slot ever claimed), then 136-byte slots of a pid and sixteen 64-bit words.
 */
public final class RingRoster implements AutoCloseable {

    private static final int MAGIC = 0x46435252; // "FCRR"
    private static final int VERSION = 1;
    private static final int HEADER = 64;
    private static final int WORDS = 16;
    private static final int BITS = WORDS * 64;
    private static final int SLOT = 8 + WORDS * 8;
    private static final int OFF_MAGIC = 0;
    private static final int OFF_VERSION = 8;
    private static final int OFF_SLOTS = 16;
    private static final int OFF_OVERFLOW = 24;
    private static final int OFF_HIGH = 32;

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final int slots;

    private RingRoster(FileChannel channel, MappedByteBuffer map, int slots) {
        this.channel = channel;
        this.map = map;
        this.slots = slots;
    }

    /** Creates (or empties) the roster at {@code file} with room for {@code slots} workers; mode 0600. */
    public static RingRoster create(Path file, int slots) throws IOException {
        if (slots < 1) {
            throw new IllegalArgumentException("slots: " + slots);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        long size = HEADER + (long) slots * SLOT;
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer m = c.map(FileChannel.MapMode.READ_WRITE, 0, size); // a new file reads as zeros
            LONGS.setVolatile(m, OFF_SLOTS, (long) slots);
            LONGS.setVolatile(m, OFF_VERSION, (long) VERSION);
            LONGS.setVolatile(m, OFF_MAGIC, (long) MAGIC);
            m.force();
        }
        // renamed into place whole: a worker of the previous run never maps a half-made roster
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return open(file);
    }

    /** Maps an existing roster. */
    public static RingRoster open(Path file) throws IOException {
        FileChannel c = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long size = c.size();
            if (size < HEADER) {
                throw new IOException(file + " is not a ring roster (" + size + " bytes)");
            }
            MappedByteBuffer m = c.map(FileChannel.MapMode.READ_WRITE, 0, size);
            long magic = (long) LONGS.getVolatile(m, OFF_MAGIC);
            long version = (long) LONGS.getVolatile(m, OFF_VERSION);
            long slots = (long) LONGS.getVolatile(m, OFF_SLOTS);
            if (magic != MAGIC || version != VERSION || slots < 1 || HEADER + slots * SLOT != size) {
                throw new IOException(file + " is not a ring roster of this version");
            }
            return new RingRoster(c, m, (int) slots);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public int slots() {
        return slots;
    }

    /**
     * Claims a free slot for {@code pid}; returns it, or -1 when none is free (the roster is then
     * {@link #overflowed()} for good).
     */
    public int claim(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid: " + pid);
        }
        for (int i = 0; i < slots; i++) {
            int at = slotAt(i);
            if ((long) LONGS.getVolatile(map, at) == 0 && LONGS.compareAndSet(map, at, 0L, pid)) {
                for (int w = 0; w < WORDS; w++) {
                    LONGS.setVolatile(map, at + 8 + w * 8, 0L);
                }
                long high;
                do {
                    high = (long) LONGS.getVolatile(map, OFF_HIGH);
                } while (high < i + 1 && !LONGS.compareAndSet(map, OFF_HIGH, high, (long) (i + 1)));
                return i;
            }
        }
        LONGS.setVolatile(map, OFF_OVERFLOW, 1L);
        return -1;
    }

    /** Whether a claim ever failed: rings must then go to every worker. */
    public boolean overflowed() {
        return (long) LONGS.getVolatile(map, OFF_OVERFLOW) != 0;
    }

    /** Marks {@code slot} as listening for {@code key}. */
    public void listen(int slot, String key) {
        int bit = bit(key);
        LONGS.getAndBitwiseOr(map, slotAt(slot) + 8 + (bit >>> 6) * 8, 1L << (bit & 63));
    }

    /** Frees {@code slot} if {@code pid} still holds it. */
    public void release(int slot, long pid) {
        LONGS.compareAndSet(map, slotAt(slot), pid, 0L);
    }

    /** Frees whatever slot {@code pid} holds (the supervisor, for a worker that died without doing so). */
    public void releasePid(long pid) {
        int high = high();
        for (int i = 0; i < high; i++) {
            release(i, pid);
        }
    }

    /**
     * The pids that may listen for a key (false positives included), and how many slots are held
     * in all, read in the same pass: what a ring needs to choose between them and the group.
     */
    public record Listeners(long[] pids, int held) {
    }

    /** Who may listen for {@code key}, in one pass over the held slots. */
    public Listeners listeners(String key) {
        int bit = bit(key);
        int wordAt = 8 + (bit >>> 6) * 8;
        long mask = 1L << (bit & 63);
        int high = high();
        long[] found = new long[8];
        int n = 0;
        int held = 0;
        for (int i = 0; i < high; i++) {
            int at = slotAt(i);
            long pid = (long) LONGS.getVolatile(map, at);
            if (pid == 0) {
                continue;
            }
            held++;
            if (((long) LONGS.getVolatile(map, at + wordAt) & mask) != 0) {
                if (n == found.length) {
                    found = java.util.Arrays.copyOf(found, n * 2);
                }
                found[n++] = pid;
            }
        }
        return new Listeners(java.util.Arrays.copyOf(found, n), held);
    }

    private int high() {
        return (int) Math.min(slots, (long) LONGS.getVolatile(map, OFF_HIGH));
    }

    private static int slotAt(int slot) {
        return HEADER + slot * SLOT;
    }

    /** The key's bit: its String hash, mixed (Murmur3's finaliser) so that similar names spread. */
    static int bit(String key) {
        int h = key.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Math.floorMod(h, BITS);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
