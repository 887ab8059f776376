package forkchat.ipc;

import jnr.constants.platform.SocketControlMessage;
import jnr.constants.platform.SocketLevel;
import jnr.constants.platform.SocketMessage;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.posix.CmsgHdr;
import jnr.posix.MsgHdr;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * sendmsg(2)/recvmsg(2) with SCM_RIGHTS through jnr-posix's MsgHdr.
 *
 * <p>jnr quirk handled here: {@code MsgHdr.setIov} and {@code allocateControl} put the native
 * iovec array and control buffer in jnr-ffi "transient" memory that nothing on the Java side keeps
 * reachable, so a GC between building the header and the system call could release it. Those
 * small allocations come from a per-thread magazine that stays mapped while any allocation from it
 * is reachable; one allocation taken just before and one just after building the header (held
 * until the call returns) keep every magazine involved alive, since the few bytes needed can
 * straddle at most one magazine switch.
 */
final class FdMessages {

    static final int SOL_SOCKET = SocketLevel.SOL_SOCKET.intValue();
    static final int SCM_RIGHTS = SocketControlMessage.SCM_RIGHTS.intValue();
    static final int MSG_NOSIGNAL = SocketMessage.MSG_NOSIGNAL.defined() ? SocketMessage.MSG_NOSIGNAL.intValue() : 0;
    static final int MSG_CTRUNC = SocketMessage.MSG_CTRUNC.intValue();
    /** Linux: received descriptors get FD_CLOEXEC atomically. Elsewhere it is set just after. */
    static final int MSG_CMSG_CLOEXEC =
            jnr.ffi.Platform.getNativePlatform().getOS() == jnr.ffi.Platform.OS.LINUX ? 0x40000000 : 0;
    private static final int FD_CLOEXEC = 1;

    /** Room for this many descriptors in a received control message (extras are closed). */
    static final int MAX_FDS = 4;

    private FdMessages() {
    }

    private static Pointer anchor() {
        return Runtime.getSystemRuntime().getMemoryManager().allocateTemporary(8, false);
    }

    /**
     * One sendmsg of {@code data} (a direct buffer; its position is advanced by what was sent)
     * with {@code fd} attached when fd &gt;= 0. Returns the bytes sent (&gt; 0), retrying EINTR.
     */
    static int send(int socket, ByteBuffer data, int fd) throws IOException {
        if (!data.isDirect()) {
            throw new IllegalArgumentException("iov buffers must be direct");
        }
        while (true) {
            Pointer before = anchor();
            MsgHdr msg = Posix.get().allocateMsgHdr();
            msg.setIov(new ByteBuffer[] {data});
            CmsgHdr control = null;
            if (fd >= 0) {
                control = msg.allocateControl(4);
                control.setLevel(SOL_SOCKET);
                control.setType(SCM_RIGHTS);
                ByteBuffer fdBytes = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                fdBytes.putInt(0, fd);
                control.setData(fdBytes);
            }
            Pointer after = anchor();
            int n = Posix.get().sendmsg(socket, msg, MSG_NOSIGNAL);
            int errno = n < 0 ? Posix.errno() : 0;
            Reference.reachabilityFence(before);
            Reference.reachabilityFence(after);
            Reference.reachabilityFence(msg);
            Reference.reachabilityFence(control);
            Reference.reachabilityFence(data);
            if (n >= 0) {
                data.position(data.position() + n);
                return n;
            }
            if (errno != Posix.EINTR) {
                throw Posix.error("sendmsg", "fd " + socket, errno);
            }
        }
    }

    /** What one recvmsg brought: {@code bytes} data bytes (0 at EOF) and received descriptors. */
    record Received(int bytes, int[] fds, boolean truncated) {
    }

    /**
     * One recvmsg into {@code into} (direct; bytes land from its position, which is advanced).
     * Retries EINTR. Received descriptors are close-on-exec.
     */
    static Received receive(int socket, ByteBuffer into) throws IOException {
        if (!into.isDirect()) {
            throw new IllegalArgumentException("iov buffers must be direct");
        }
        while (true) {
            Pointer before = anchor();
            MsgHdr msg = Posix.get().allocateMsgHdr();
            msg.setIov(new ByteBuffer[] {into});
            CmsgHdr control = msg.allocateControl(4 * MAX_FDS);
            Pointer after = anchor();
            int n = Posix.get().recvmsg(socket, msg, MSG_CMSG_CLOEXEC);
            int errno = n < 0 ? Posix.errno() : 0;
            Reference.reachabilityFence(before);
            Reference.reachabilityFence(after);
            Reference.reachabilityFence(control);
            if (n < 0) {
                Reference.reachabilityFence(msg);
                if (errno == Posix.EINTR) {
                    continue;
                }
                throw Posix.error("recvmsg", "fd " + socket, errno);
            }
            into.position(into.position() + n);
            int[] fds = extractFds(msg);
            boolean truncated = (msg.getFlags() & MSG_CTRUNC) != 0;
            Reference.reachabilityFence(msg);
            if (MSG_CMSG_CLOEXEC == 0) {
                for (int fd : fds) {
                    Posix.get().fcntlInt(fd, jnr.constants.platform.Fcntl.F_SETFD, FD_CLOEXEC);
                }
            }
            return new Received(n, fds, truncated);
        }
    }

    private static int[] extractFds(MsgHdr msg) {
        if (msg.getControlLen() == 0) {
            return new int[0];
        }
        int[] out = new int[0];
        for (CmsgHdr c : msg.getControls()) {
            if (c.getLevel() != SOL_SOCKET || c.getType() != SCM_RIGHTS) {
                continue;
            }
            ByteBuffer data = c.getData();
            if (data == null) {
                continue;
            }
            data.order(ByteOrder.nativeOrder());
            int count = data.remaining() / 4;
            int[] more = new int[out.length + count];
            System.arraycopy(out, 0, more, 0, out.length);
            for (int i = 0; i < count; i++) {
                more[out.length + i] = data.getInt(data.position() + 4 * i);
            }
            out = more;
        }
        return out;
    }

    /** Sets FD_CLOEXEC on a descriptor we own (jnr-unixsocket creates sockets without it). */
    static void setCloexec(int fd) {
        Posix.get().fcntlInt(fd, jnr.constants.platform.Fcntl.F_SETFD, FD_CLOEXEC);
    }
}
