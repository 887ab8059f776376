package forkchat.daemon;

import forkchat.chat.World;
import forkchat.config.Config;
import forkchat.config.Settings;
import forkchat.ipc.MessageLog;
import forkchat.worker.LogJournal;
import forkchat.worker.PresenceSnapshot;
import java.io.IOException;

/**
 * The supervisor's own fold of this run's presence, written out as a {@link PresenceSnapshot}
 * before each retention pass, so that retention need not keep the whole run: new sessions fold
 * from the newest snapshot, and retention keeps everything from the one before it (a session that
 * read that one a moment before it was replaced still finds its records). Used by one thread.
 */
final class PresenceCheckpoints implements AutoCloseable {

    private final long serverStart;
    private LogJournal journal;
    private MessageLog messages;
    private final World world = new World();
    private long newest;
    private long previous;

    /** @param serverStart offset of this run's server-start record */
    PresenceCheckpoints(long serverStart) {
        this.serverStart = serverStart;
        this.newest = serverStart;
        this.previous = serverStart;
    }

    /**
     * Folds the records appended since the last call and, if there were any, writes a new
     * snapshot. Returns the offset retention must keep from: the snapshot before the newest, or
     * the run's start while there have been fewer than two.
     */
    long checkpoint(Config config) throws IOException {
        if (journal == null) {
            messages = MessageLog.open(config.logDir(), config.get(Settings.FSYNC), config.get(Settings.LOG_SEGMENT_SIZE));
            messages.seek(serverStart);
            journal = new LogJournal(messages, () -> { }); // reads only: nothing to ring
        }
        journal.catchUp(world::apply);
        long folded = messages.cursor();
        if (folded > newest) {
            PresenceSnapshot.write(config.logDir(), serverStart, folded, world);
            previous = newest;
            newest = folded;
        }
        return previous;
    }

    @Override
    public void close() {
        if (journal != null) {
            journal.close();
        }
    }
}
