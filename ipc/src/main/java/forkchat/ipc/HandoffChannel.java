package forkchat.ipc;

import jnr.unixsocket.Credentials;
import jnr.unixsocket.UnixSocketAddress;
import jnr.unixsocket.UnixSocketChannel;
import jnr.unixsocket.UnixSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection on the handoff socket: newline-terminated UTF-8 control lines in both
 * directions, and descriptors passed with SCM_RIGHTS alongside a line (always with at least one
 * data byte, direct buffers: see PLATFORM-NOTES). Sends are thread-safe with each other;
 * {@link #receive()} is for one reading thread.
 *
 * <p>Framing: a line may not contain '\n' and may be at most {@link #MAX_LINE} bytes of UTF-8;
 * sending such a line throws IllegalArgumentException, and receiving a longer one fails the
 * channel. A descriptor is attached, on receipt, to the line whose bytes arrived in the same
 * recvmsg (the kernel never merges data past a message that carries descriptors, and hands the
 * descriptors over with its first bytes). Received descriptors are close-on-exec and belong to
 * the caller once returned in a {@link ControlMessage}; ones still queued when the channel is
 * closed are closed with it. An unterminated last line at EOF is dropped.
 */
public final class HandoffChannel implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(HandoffChannel.class);

    /** Longest line, in bytes of UTF-8 without the newline. */
    public static final int MAX_LINE = 64 * 1024;

    private final UnixSocketChannel channel;
    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final ReentrantLock sendLock = new ReentrantLock();
    private ByteBuffer sendBuffer = ByteBuffer.allocateDirect(1024);

    private final ReentrantLock receiveLock = new ReentrantLock();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(16 * 1024);
    private final ArrayDeque<ControlMessage> ready = new ArrayDeque<>();
    private byte[] partial = new byte[256];
    private int partialLength;
    private int partialFd = -1;
    private boolean eof;
    private IOException broken;

    HandoffChannel(UnixSocketChannel channel) {
        this.channel = channel;
        this.fd = channel.getFD();
        FdMessages.setCloexec(fd);
    }

    /** Worker side: connects to the supervisor's handoff socket. */
    public static HandoffChannel connect(Path socketPath) throws IOException {
        Objects.requireNonNull(socketPath, "socketPath");
        HandoffServer.checkPathLength(socketPath);
        UnixSocketChannel ch;
        try {
            ch = UnixSocketChannel.open(new UnixSocketAddress(socketPath.toFile()));
        } catch (IOException e) {
            throw new IOException("connect(" + socketPath + ") failed: " + e.getMessage(), e);
        }
        return new HandoffChannel(ch);
    }

    /** The peer's credentials (SO_PEERCRED) as the kernel recorded them at connect. */
    public PeerCredentials peer() throws IOException {
        ensureOpen();
        Credentials c;
        try {
            c = channel.getOption(UnixSocketOptions.SO_PEERCRED);
        } catch (RuntimeException e) {
            throw new IOException("getsockopt(SO_PEERCRED) failed", e);
        }
        if (c == null) {
            throw new IOException("getsockopt(SO_PEERCRED) gave nothing");
        }
        return new PeerCredentials(c.getPid(), c.getUid(), c.getGid());
    }

    /** Sends one line (a newline is appended). */
    public void send(String line) throws IOException {
        write(line, -1);
    }

    /** Sends one line and the descriptor {@code fd} with it in the same sendmsg(2). */
    public void sendWithFd(String line, int fd) throws IOException {
        if (fd < 0) {
            throw new IllegalArgumentException("bad descriptor " + fd);
        }
        write(line, fd);
    }

    private void write(String line, int passFd) throws IOException {
        Objects.requireNonNull(line, "line");
        if (line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a control line may not contain a newline");
        }
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_LINE) {
            throw new IllegalArgumentException("control line of " + bytes.length + " bytes exceeds " + MAX_LINE);
        }
        sendLock.lock();
        try {
            ensureOpen();
            if (sendBuffer.capacity() < bytes.length + 1) {
                sendBuffer = ByteBuffer.allocateDirect(Math.max(bytes.length + 1, sendBuffer.capacity() * 2));
            }
            sendBuffer.clear();
            sendBuffer.put(bytes).put((byte) '\n').flip();
            // The descriptor travels with the first bytes; a partial send continues without it.
            FdMessages.send(fd, sendBuffer, passFd);
            while (sendBuffer.hasRemaining()) {
                FdMessages.send(fd, sendBuffer, -1);
            }
        } finally {
            sendLock.unlock();
        }
    }

    /** Blocks for the next line; returns null at EOF (the peer is gone). */
    public ControlMessage receive() throws IOException {
        receiveLock.lock();
        try {
            while (true) {
                if (closed.get()) {
                    throw new ClosedChannelException();
                }
                ControlMessage next = ready.poll();
                if (next != null) {
                    return next;
                }
                if (broken != null) {
                    throw broken;
                }
                if (eof) {
                    return null;
                }
                receiveBuffer.clear();
                FdMessages.Received r;
                try {
                    r = FdMessages.receive(fd, receiveBuffer);
                } catch (IOException e) {
                    if (closed.get()) {
                        eof = true;
                        return null;
                    }
                    throw e;
                }
                if (r.truncated()) {
                    log.warn("handoff fd {}: control data truncated (more descriptors than expected were sent)", fd);
                }
                if (r.bytes() == 0) {
                    eof = true;
                    for (int extra : r.fds()) {
                        SocketFds.close(extra);
                    }
                    if (partialLength > 0 || partialFd >= 0) {
                        log.debug("handoff fd {}: dropping an unterminated line of {} bytes at EOF", fd, partialLength);
                        SocketFds.close(partialFd);
                        partialFd = -1;
                        partialLength = 0;
                    }
                    return null;
                }
                consume(r);
            }
        } finally {
            receiveLock.unlock();
        }
    }

    private void consume(FdMessages.Received r) throws IOException {
        int n = r.bytes();
        int received = -1;
        int[] fds = r.fds();
        if (fds.length > 0) {
            received = fds[0];
            for (int i = 1; i < fds.length; i++) {
                log.warn("handoff fd {}: closing extra received descriptor {}", fd, fds[i]);
                SocketFds.close(fds[i]);
            }
        }
        List<ControlMessage> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte b = receiveBuffer.get(i);
            if (b == '\n') {
                String line = new String(partial, 0, partialLength, StandardCharsets.UTF_8);
                lines.add(new ControlMessage(line, partialFd));
                partialFd = -1;
                partialLength = 0;
                continue;
            }
            if (partialLength == MAX_LINE) {
                SocketFds.close(received);
                SocketFds.close(partialFd);
                partialFd = -1;
                for (ControlMessage m : lines) {
                    SocketFds.close(m.fd());
                }
                broken = new IOException("handoff fd " + fd + ": received a line longer than " + MAX_LINE + " bytes");
                throw broken;
            }
            if (partialLength == partial.length) {
                partial = Arrays.copyOf(partial, Math.min(MAX_LINE, partial.length * 2));
            }
            partial[partialLength++] = b;
        }
        if (received >= 0) {
            // The descriptor belongs to the line that contains the last byte of this read.
            boolean endsLine = receiveBuffer.get(n - 1) == '\n';
            if (endsLine) {
                int last = lines.size() - 1;
                ControlMessage m = lines.get(last);
                if (m.hasFd()) {
                    log.warn("handoff fd {}: two descriptors for one line; closing {}", fd, received);
                    SocketFds.close(received);
                } else {
                    lines.set(last, new ControlMessage(m.line(), received));
                }
            } else if (partialFd >= 0) {
                log.warn("handoff fd {}: two descriptors for one line; closing {}", fd, received);
                SocketFds.close(received);
            } else {
                partialFd = received;
            }
        }
        ready.addAll(lines);
    }

    /** Closes the connection; a thread blocked in receive() returns null or throws. */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // shutdown(2) first: it wakes a thread blocked in recvmsg/sendmsg on this socket, so the
        // descriptor is closed only once no call can still be using (or about to reuse) its number.
        try {
            channel.shutdownInput();
        } catch (IOException | RuntimeException e) {
            log.debug("shutdown(SHUT_RD) of handoff fd {}: {}", fd, e.toString());
        }
        try {
            channel.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            log.debug("shutdown(SHUT_WR) of handoff fd {}: {}", fd, e.toString());
        }
        receiveLock.lock();
        try {
            sendLock.lock();
            try {
                for (ControlMessage m : ready) {
                    SocketFds.close(m.fd());
                }
                ready.clear();
                SocketFds.close(partialFd);
                partialFd = -1;
                channel.close();
            } finally {
                sendLock.unlock();
            }
        } finally {
            receiveLock.unlock();
        }
    }

    /** The underlying descriptor (for diagnostics). */
    public int fd() {
        return fd;
    }

    @Override
    public String toString() {
        return "HandoffChannel[fd=" + fd + (closed.get() ? ", closed" : "") + "]";
    }

    private void ensureOpen() throws IOException {
        if (closed.get()) {
            throw new ClosedChannelException();
        }
    }
}
