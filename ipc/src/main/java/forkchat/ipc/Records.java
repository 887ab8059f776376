package forkchat.ipc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The on-disk framing of one log record (see {@link MessageLog} for the layout). All integers are
 * big-endian.
 */
final class Records {

    /** "FKC1": forkchat log, format 1. */
    static final int MAGIC = 0x464B4331;
    /** magic, payload length, time, pid. */
    static final int HEADER = 4 + 4 + 8 + 4;
    /** CRC32C, then the total record length. */
    static final int TRAILER = 4 + 4;
    static final int OVERHEAD = HEADER + TRAILER;
    static final int MAX_RECORD = OVERHEAD + MessageLog.MAX_PAYLOAD;

    static final int OFF_MAGIC = 0;
    static final int OFF_LENGTH = 4;
    static final int OFF_TIME = 8;
    static final int OFF_PID = 16;

    private Records() {
    }

    static int recordLength(int payloadLength) {
        return OVERHEAD + payloadLength;
    }

    /**
     * Writes the whole record for {@code payload} into {@code out} from position 0 and flips it
     * (position 0, limit = record length). {@code out} must be big-endian and large enough.
     */
    static void encode(ByteBuffer out, long timeMillis, int pid, byte[] payload) {
        int total = recordLength(payload.length);
        out.clear();
        out.order(ByteOrder.BIG_ENDIAN);
        out.putInt(MAGIC);
        out.putInt(payload.length);
        out.putLong(timeMillis);
        out.putInt(pid);
        out.put(payload);
        CRC32C crc = new CRC32C();
        ByteBuffer covered = out.duplicate();
        covered.flip();
        crc.update(covered);
        out.putInt((int) crc.getValue());
        out.putInt(total);
        out.flip();
    }

    /** CRC32C over {@code len} bytes of {@code buf} from {@code pos} (position/limit untouched). */
    static int crc(ByteBuffer buf, int pos, int len) {
        ByteBuffer d = buf.duplicate();
        d.limit(pos + len).position(pos);
        CRC32C crc = new CRC32C();
        crc.update(d);
        return (int) crc.getValue();
    }
}
