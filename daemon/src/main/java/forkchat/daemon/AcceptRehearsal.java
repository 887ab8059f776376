package forkchat.daemon;

import forkchat.config.Config;
import forkchat.ipc.ControlMessage;
import forkchat.ipc.HandoffChannel;
import forkchat.ipc.HandoffServer;
import forkchat.ipc.SocketFds;
import forkchat.worker.HandoffProtocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's side of a fork client's arrival, run once before the daemon says it is ready:
 * a loopback connection accepted, admitted by an admission of its own (the real one never sees
 * it), and its socket handed over through a scratch Unix socket in the runtime directory, with a
 * worker's REGISTERED read back. Measured, the first client after a start otherwise waited about
 * 15 ms longer than the next ones while a cold JVM loaded and linked this path.
 */
final class AcceptRehearsal {

    private static final Logger log = LoggerFactory.getLogger(AcceptRehearsal.class);

    private AcceptRehearsal() {
    }

    static void run(Config config) {
        long began = System.nanoTime();
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                 SocketChannel accepted = listener.accept()) {
                String who = Refusal.peer(accepted);
                Admission.Ticket ticket = new Admission(config).admit(who, false).ticket();
                handOver(config, accepted, who);
                if (ticket != null) {
                    ticket.registered();
                    ticket.ended();
                }
            }
            log.debug("accept path rehearsed in {} ms", (System.nanoTime() - began) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            log.debug("accept path not rehearsed (the first client waits a little longer): {}", e.toString());
        }
    }

    private static void handOver(Config config, SocketChannel accepted, String who) throws IOException {
        try (HandoffServer server = HandoffServer.bind(config.runtimeDir().resolve("warm-up.sock"));
             HandoffChannel worker = HandoffChannel.connect(server.path());
             HandoffChannel supervisor = server.accept()) {
            supervisor.peer();
            supervisor.sendWithFd(WorkerPool.clientOrder("warm-up", who, false), SocketFds.fdOf(accepted));
            ControlMessage order = worker.receive();
            if (order != null && order.hasFd()) {
                SocketFds.close(order.fd());
            }
            worker.send(HandoffProtocol.REGISTERED + " warm-up");
            ControlMessage report = supervisor.receive();
            if (report == null || !HandoffProtocol.REGISTERED.equals(HandoffProtocol.verb(report.line()))) {
                throw new IOException("the rehearsal's report came back as " + report);
            }
            HandoffProtocol.rest(report.line());
        }
    }
}
