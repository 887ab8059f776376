package forkchat.worker;

import forkchat.chat.World;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is online, folded up to a log offset, kept beside the log ({@code $state_dir/log/presence})
 * so that a new session folds presence from there instead of from the daemon's start record,
 * and log retention may remove what lies before it even while the daemon keeps running.
 *
 * <p>The supervisor writes it (the only writer) to a temporary file, fsyncs it and renames it
 * over the old one, so a reader sees one whole snapshot or the one before. Format, big-endian:
 * magic {@code FKP1}, the offset of the run's server-start record, the offset up to which the
 * world is folded (every record before it, none after), the length of {@link World#snapshot}'s
 * bytes, the bytes, and a CRC32C of everything before it. Anything that does not check out is
 * not used (a session then folds from the run's start).
 */
public final class PresenceSnapshot {

    private static final Logger log = LoggerFactory.getLogger(PresenceSnapshot.class);

    static final String FILE = "presence";
    private static final int MAGIC = 0x464B5031; // "FKP1"

    /**
     * @param serverStart offset of the server-start record of the run it belongs to
     * @param offset      the world is the fold of every record from serverStart up to here
     */
    public record Snapshot(long serverStart, long offset, World world) {
    }

    private PresenceSnapshot() {
    }

    /** Replaces the snapshot in log directory {@code dir}, durably. */
    public static void write(Path dir, long serverStart, long offset, World world) throws IOException {
        byte[] state = world.snapshot();
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 8 + 4 + state.length + 4);
        b.putInt(MAGIC).putLong(serverStart).putLong(offset).putInt(state.length).put(state);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        b.flip();
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp); // created afresh, so with the mode below whatever was there
        try (FileChannel out = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))) {
            while (b.hasRemaining()) {
                out.write(b);
            }
            out.force(true);
        }
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself
        } catch (IOException e) {
            log.debug("fsync of {} after the rename: {}", dir, e.getMessage());
        }
    }

    /** The snapshot in log directory {@code dir}, or null when there is none or it does not check out. */
    public static Snapshot read(Path dir) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(FILE));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            log.warn("cannot read the presence snapshot {}: {}", dir.resolve(FILE), e.getMessage());
            return null;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (bytes.length < 28 || b.getInt() != MAGIC) {
                throw new IllegalArgumentException("not a presence snapshot");
            }
            long serverStart = b.getLong();
            long offset = b.getLong();
            int length = b.getInt();
            if (length < 0 || length != bytes.length - 28) {
                throw new IllegalArgumentException("length " + length + " in a file of " + bytes.length + " bytes");
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, bytes.length - 4);
            if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
                throw new IllegalArgumentException("CRC32C mismatch");
            }
            byte[] state = new byte[length];
            b.get(state);
            return new Snapshot(serverStart, offset, World.restore(state));
        } catch (IllegalArgumentException e) {
            log.warn("ignoring the presence snapshot {}: {}", dir.resolve(FILE), e.getMessage());
            return null;
        }
    }
}
