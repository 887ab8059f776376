package forkchat.worker;

import forkchat.chat.ClientSink;
import forkchat.ipc.Bell;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lines a session has produced and its client has not been sent yet. {@link #send} never
 * blocks: it queues and rings the connection's {@link Bell} so the sending thread flushes.
 * The queue is bounded in bytes ({@link #MAX_QUEUED_BYTES}): a client that does not read while
 * output keeps coming is cut off ("SendQ exceeded") instead of growing its worker's memory.
 * Thread-safe; uses a ReentrantLock, not synchronized (virtual threads).
 */
final class Outbox implements ClientSink {

    /** Output a client may leave unread before it is disconnected. */
    static final int MAX_QUEUED_BYTES = 1 << 20;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final Bell bell;
    private int queuedBytes;
    private boolean closeRequested;
    private boolean overflowed;

    Outbox(Bell bell) {
        this.bell = bell;
    }

    @Override
    public void send(String line) {
        byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            if (closeRequested) {
                return;
            }
            if (queuedBytes + bytes.length > MAX_QUEUED_BYTES) {
                overflowed = true;
                closeRequested = true;
            } else {
                queue.add(bytes);
                queuedBytes += bytes.length;
            }
        } finally {
            lock.unlock();
        }
        bell.ring();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeRequested = true;
        } finally {
            lock.unlock();
        }
        bell.ring();
    }

    /** True once the client was cut off for not reading. */
    boolean overflowed() {
        lock.lock();
        try {
            return overflowed;
        } finally {
            lock.unlock();
        }
    }

    /** True when close was asked for and everything queued before it has been written. */
    boolean drainedAndClosing() {
        lock.lock();
        try {
            return closeRequested && queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** The head line if it alone is larger than a flush buffer (rare: very long tagged lines). */
    private byte[] takeOversized(int capacity) {
        lock.lock();
        try {
            if (!queue.isEmpty() && queue.peek().length > capacity) {
                byte[] line = queue.poll();
                queuedBytes -= line.length;
                return line;
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes every queued line to {@code out}, blocking as the socket requires. Called by one
     * thread at a time (the connection's sending thread). Lines are gathered into one buffer so a
     * burst costs one write(2), not one per line.
     */
    void flushTo(WritableByteChannel out, ByteBuffer scratch) throws IOException {
        while (true) {
            scratch.clear();
            lock.lock();
            try {
                while (!queue.isEmpty() && queue.peek().length <= scratch.remaining()) {
                    byte[] line = queue.poll();
                    queuedBytes -= line.length;
                    scratch.put(line);
                }
            } finally {
                lock.unlock();
            }
            if (scratch.position() == 0) {
                byte[] oversized = takeOversized(scratch.capacity());
                if (oversized == null) {
                    return;
                }
                ByteBuffer whole = ByteBuffer.wrap(oversized);
                while (whole.hasRemaining()) {
                    out.write(whole);
                }
                continue;
            }
            scratch.flip();
            while (scratch.hasRemaining()) {
                out.write(scratch);
            }
        }
    }
}
