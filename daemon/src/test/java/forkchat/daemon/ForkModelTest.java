package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.ipc.RingRoster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the fork model promises: every client's socket is held by a worker JVM of its own
 * in the supervisor's process group, and a worker's death harms only its own client. (The chat
 * itself is tested against every model by {@link EveryModelTest}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForkModelTest {

    /** Static: an instance @TempDir is injected only before each test, after @BeforeAll has run. */
    @TempDir
    static Path state;

    DaemonProcess daemon;

    @BeforeAll
    void startDaemon() throws IOException {
        daemon = DaemonProcess.start(state, "pool_min_spare=3", "pool_max_spare=6");
    }

    @AfterAll
    void stopDaemon() {
        daemon.close();
    }

    @Test
    void eachClientIsHeldByItsOwnWorkerInTheSupervisorsProcessGroup() throws IOException {
        try (IrcClient ivy = IrcClient.register(daemon.port(), "ivy");
             IrcClient jack = IrcClient.register(daemon.port(), "jack")) {
            long ivyOwner = ownerOf(ivy);
            long jackOwner = ownerOf(jack);
            assertNotEquals(ivyOwner, jackOwner, "two clients, two worker JVMs");
            long inode = ProcFs.serverSocketInode(daemon.port(), ivy.localPort());
            assertFalse(ProcFs.holdsSocket(daemon.pid(), inode), "the supervisor closed its copy of the socket");
            long pgid = ProcFs.processGroup(daemon.pid());
            assertEquals(daemon.pid(), pgid, "the supervisor leads its own process group");
            assertEquals(pgid, ProcFs.processGroup(ivyOwner));
            assertEquals(pgid, ProcFs.processGroup(jackOwner));
        }
    }

    @Test
    void aKilledWorkerClosesOnlyItsClientAndOthersSeeItsQuit() throws Exception {
        try (IrcClient kim = IrcClient.register(daemon.port(), "kim");
             IrcClient leo = IrcClient.register(daemon.port(), "leo");
             IrcClient mia = IrcClient.register(daemon.port(), "mia")) {
            for (IrcClient c : List.of(kim, leo, mia)) {
                c.join("#crash");
            }
            long kimWorker = ownerOf(kim);
            ProcessHandle.of(kimWorker).orElseThrow().destroyForcibly();

            kim.awaitClosed(IrcClient.WAIT);
            leo.expect(l -> l.startsWith(":kim!") && l.contains("QUIT") && l.contains("SIGKILL"));
            mia.expect(l -> l.startsWith(":kim!") && l.contains("QUIT"));
            leo.send("PRIVMSG #crash :still talking");
            mia.expect(l -> l.startsWith(":leo!") && l.endsWith("still talking"));
            assertTrue(daemon.process().isAlive());
            assertNickFree("kim");
        }
    }

    @Test
    void aWorkerSentSigtermSaysGoodbyeToItsClientAndItsQuitReachesTheOthers() throws Exception {
        try (IrcClient nat = IrcClient.register(daemon.port(), "nat");
             IrcClient oli = IrcClient.register(daemon.port(), "oli")) {
            nat.join("#term");
            oli.join("#term");
            long natWorker = ownerOf(nat);
            // an administrator's kill, or a service manager that signals the whole group
            ProcessHandle.of(natWorker).orElseThrow().destroy();

            nat.expect(l -> l.startsWith("ERROR :Server shutting down"));
            nat.awaitClosed(IrcClient.WAIT);
            oli.expect(l -> l.startsWith(":nat!") && l.contains("QUIT") && l.contains("Server shutting down"));
            assertTrue(daemon.process().isAlive());
            assertNickFree("nat");
        }
    }

    @Test
    void aChannelsRecordsRingItsMembersWorkersAndReachAMemberThatJustJoined() throws IOException {
        try (IrcClient nia = IrcClient.register(daemon.port(), "nia");
             IrcClient oto = IrcClient.register(daemon.port(), "oto");
             IrcClient pat = IrcClient.register(daemon.port(), "pat");
             RingRoster roster = RingRoster.open(state.resolve("run").resolve("ring-roster"))) {
            nia.join("#elsewhere");
            for (int i = 1; i <= 10; i++) {
                String channel = "#Ring" + i;
                oto.join(channel);
                // pat's Join and oto's message race through the log: the message comes second,
                // and nothing else will ring pat's worker, so the targeted ring alone must reach it
                pat.send("JOIN " + channel);
                oto.expect(l -> l.startsWith(":pat!") && l.contains(" JOIN ") && l.contains(channel));
                oto.send("PRIVMSG " + channel + " :right after you came " + i);
                String said = "right after you came " + i;
                pat.expect(l -> l.startsWith(":oto!") && l.endsWith(said));
            }
            long[] listeners = roster.listeners(forkchat.chat.Names.fold("#ring1")).pids();
            List<Long> pids = java.util.Arrays.stream(listeners).boxed().toList();
            assertTrue(pids.containsAll(List.of(ownerOf(oto), ownerOf(pat))), "the members' workers listen: " + pids);
            assertFalse(pids.contains(ownerOf(nia)), "a worker in another channel does not: " + pids);
        }
    }

    /** A new client takes {@code nick} and is served: the worker that held it left its Quit in the log. */
    private void assertNickFree(String nick) throws IOException {
        try (IrcClient again = IrcClient.register(daemon.port(), nick)) {
            again.send("PING :" + nick);
            again.expect(l -> l.endsWith(":" + nick) || l.endsWith(" " + nick));
        }
    }

    private long ownerOf(IrcClient client) throws IOException {
        assertNotEquals(-1, ProcFs.serverSocketInode(daemon.port(), client.localPort()),
                "the server side of the client's connection is in /proc/net/tcp");
        List<Long> owners = daemon.workersServing(client.localPort());
        assertEquals(1, owners.size(), "exactly one worker holds the client's socket: " + owners);
        return owners.get(0);
    }
}
