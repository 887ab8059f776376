package forkchat.worker;

import forkchat.chat.ClientSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lines a session has produced and its client has not been sent yet. {@link #send} never
 * blocks: it queues and runs the connection's wake-up action (ring the sender's Bell, or mark
 * the connection for the event loop) so that someone flushes.
 *
 * <p>The queue is bounded in bytes ({@link #MAX_QUEUED_BYTES}): a client that does not read while
 * output keeps coming is cut off ("SendQ exceeded") instead of growing its host's memory.
 * {@link #flush} writes as much as the socket takes, gathering queued lines into one buffer so
 * a burst costs one write(2); on a non-blocking socket a partly written batch is kept for the
 * next call. Thread-safe with ReentrantLock, never synchronized (virtual threads); flush is for
 * one thread at a time.
 */
final class Outbox implements ClientSink {

    /** Output a client may leave unread before it is disconnected. */
    static final int MAX_QUEUED_BYTES = 1 << 20;

    private static final int BATCH_BYTES = 16 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final Runnable wake;
    private int queuedBytes;
    private boolean closeRequested;
    private boolean overflowed;
    /** The output being written (a line, or a batch of lines); only the flushing thread touches it. */
    private ByteBuffer batch;

    Outbox(Runnable wake) {
        this.wake = wake;
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
        wake.run();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeRequested = true;
        } finally {
            lock.unlock();
        }
        wake.run();
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
            return closeRequested && queue.isEmpty() && (batch == null || !batch.hasRemaining());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes queued output to {@code out}: everything, on a blocking socket; what the socket
     * takes now, on a non-blocking one. Returns true when nothing is left to write.
     */
    boolean flush(WritableByteChannel out) throws IOException {
        while (true) {
            if (batch == null || !batch.hasRemaining()) {
                batch = nextBatch();
                if (batch == null) {
                    return true;
                }
            }
            out.write(batch);
            if (batch.hasRemaining()) {
                return false; // the socket is full: a non-blocking write took what it could
            }
        }
    }

    /**
     * The next queued output to write, or null if none: a line alone (the usual case: a ring
     * delivers one message) is written from its own array, several go into one buffer of their
     * exact size, at most {@link #BATCH_BYTES} (a longer line goes alone). No buffer is kept
     * between flushes: a fresh 16 KB one per flush was most of a fork worker's garbage, and one
     * kept per connection would be 16 KB for every idle client of the event loop.
     */
    private ByteBuffer nextBatch() {
        lock.lock();
        try {
            byte[] first = queue.poll();
            if (first == null) {
                return null;
            }
            queuedBytes -= first.length;
            byte[] second = queue.peek();
            if (second == null || first.length + second.length > BATCH_BYTES) {
                return ByteBuffer.wrap(first);
            }
            int size = first.length;
            for (byte[] line : queue) {
                if (size + line.length > BATCH_BYTES) {
                    break;
                }
                size += line.length;
            }
            ByteBuffer next = ByteBuffer.allocate(size).put(first);
            while (next.hasRemaining()) {
                byte[] line = queue.poll();
                queuedBytes -= line.length;
                next.put(line);
            }
            return next.flip();
        } finally {
            lock.unlock();
        }
    }
}
