package forkchat.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an account missed while it was away, handed to it right after its welcome when it
 * registers again ({@link AuthMode#ACCOUNTS} mode only; papayaChat's asynchronous delivery).
 * Everything is found in the log itself, so it is the same whichever worker serves the account
 * and survives a daemon restart.
 *
 * <p>Exactly what is delivered:
 * <ol>
 *   <li><b>The departure</b> is the end of the account's previous session, which is the last
 *       Connect of its nick (folded) before this session's own: the first, after that Connect,
 *       of the session's Quit (written by itself or by the supervisor for a dead worker) and a
 *       ServerStart (the daemon stopped or crashed while it was online).</li>
 *   <li><b>Channels</b>: those the previous session was in at its departure (its Joins minus its
 *       Parts) are joined again, with Join events like JOIN's (the same checks, up to
 *       {@link ChatConfig#maxChannelsPerClient()}), but without the usual history replay.</li>
 *   <li><b>Messages</b>: PRIVMSG and NOTICE written after the departure, to the account's nick
 *       (before this session's Connect) and to each rejoined channel (before this session's Join
 *       of it); later ones reach the client live. At most
 *       {@link ChatConfig#offlineDeliveryMax()} of them, the most recent, oldest first, each
 *       from its stored source with its original time as the {@code time} tag (server-time) or
 *       a text stamp ({@link Replay}); CTCP requests other than ACTION are left out. A server
 *       NOTICE says how many come, before them. Private messages show the account's current
 *       nick as their target.</li>
 *   <li>An account with no previous session in reach (its first login, or a last session
 *       older than the log's history scan reaches) gets the private messages to it in reach,
 *       and no channels.</li>
 * </ol>
 * {@code offlineDeliveryMax = 0} turns all of this off. Private messages to an offline account
 * are kept in the log by {@link MessageCommands}.
 *
 * <p>Cost and bounds: three backward {@link Journal#history} scans per registration (the
 * previous Connect, the previous session's trail of at most {@value #TRAIL_MAX} Joins, Parts,
 * Quits and ServerStarts, the messages), each bounded by the journal's scan budget. A previous
 * session with more than {@value #TRAIL_MAX} such events is judged by its last ones only.
 * The account is recognised by nick: a nick used in the {@code open} mode before accounts were
 * turned on counts as the account's.
 */
final class OfflineDelivery {

    /** Most events of the previous session (and ServerStarts) read to find its departure. */
    static final int TRAIL_MAX = 1_000;

    /** Where the previous session ended and which channels it was in then. */
    record Departure(long offset, List<String> channels) {
    }

    private final SessionContext s;
    private final ChannelCommands channels;

    OfflineDelivery(SessionContext s, ChannelCommands channels) {
        this.s = s;
        this.channels = channels;
    }

    /** Whether a private message to {@code nick}, who is not online, is kept for later. */
    static boolean keepsFor(SessionContext s, String nick) {
        return s.accountsMode() && s.config.offlineDeliveryMax() > 0 && Names.isValidNick(nick)
                && s.accounts.exists(nick);
    }

    /** Called once the session registered as {@code account}; its Connect is at {@code connectOffset}. */
    void deliver(String account, long connectOffset) {
        int max = s.config.offlineDeliveryMax();
        if (max <= 0 || s.closed) {
            return;
        }
        Departure departure;
        try {
            departure = departure(account, connectOffset);
        } catch (RuntimeException e) {
            SessionContext.LOG.warn("session {}: cannot find what {} missed: {}", s.id, account, e.toString());
            return;
        }
        Map<String, Long> joinedAt = new HashMap<>();
        long before = connectOffset;
        for (String name : departure.channels()) {
            long at = channels.rejoin(name);
            if (s.closed) {
                return;
            }
            if (at >= 0) {
                joinedAt.put(Names.fold(name), at);
                before = Math.max(before, at);
            }
        }
        List<Entry> missed = missed(account, departure.offset(), connectOffset, joinedAt, before, max);
        if (missed.isEmpty()) {
            return;
        }
        String count = missed.size() >= max ? "The last " + missed.size() + " messages" : missed.size()
                + (missed.size() == 1 ? " message" : " messages");
        s.send(s.replies.fromServer("NOTICE", s.nick, count + " sent while you were away:"));
        for (Entry e : missed) {
            String target = ((Event.Message) e.event()).target();
            if (Names.isChannel(target)) {
                World.Channel ch = s.world.channel(target);
                Replay.send(s, e, ch != null ? ch.name() : target);
            } else {
                Replay.send(s, e, s.nick);
            }
        }
    }

    /** The previous session's end, or offset -1 and no channels when there is none in reach. */
    Departure departure(String account, long connectOffset) {
        List<Entry> previous = s.journal.history(connectOffset, 1,
                e -> e instanceof Event.Connect c && Names.same(c.nick(), account));
        if (previous.isEmpty()) {
            return new Departure(-1, List.of());
        }
        Entry connect = previous.getFirst();
        String session = ((Event.Connect) connect.event()).session();
        List<Entry> trail = s.journal.history(connectOffset, TRAIL_MAX, e -> switch (e) {
            case Event.ServerStart ignored -> true;
            case Event.Join j -> session.equals(j.session());
            case Event.Part p -> session.equals(p.session());
            case Event.Quit q -> session.equals(q.session());
            default -> false;
        });
        Map<String, String> in = new LinkedHashMap<>();
        for (Entry e : trail) {
            if (e.offset() <= connect.offset()) {
                continue; // an earlier run's session of the same id, or ServerStarts before
            }
            switch (e.event()) {
                case Event.Join j -> in.put(Names.fold(j.channel()), j.channel());
                case Event.Part p -> in.remove(Names.fold(p.channel()));
                default -> {
                    return new Departure(e.offset(), List.copyOf(in.values()));
                }
            }
        }
        // Its end is not in reach (it cannot still be online: our claim of the nick succeeded).
        return new Departure(connectOffset, List.of());
    }

    /** The messages missed, oldest first, at most {@code max}. */
    private List<Entry> missed(String account, long departure, long connectOffset, Map<String, Long> joinedAt,
                               long before, int max) {
        List<Entry> found = s.journal.history(before, max, e -> e instanceof Event.Message m && m.target() != null
                && (Names.isChannel(m.target()) ? joinedAt.containsKey(Names.fold(m.target()))
                : Names.same(m.target(), account)));
        List<Entry> missed = new ArrayList<>(found.size());
        for (Entry e : found) {
            Event.Message m = (Event.Message) e.event();
            long until = Names.isChannel(m.target()) ? joinedAt.get(Names.fold(m.target())) : connectOffset;
            if (e.offset() > departure && e.offset() < until && Replay.replayable(m)) {
                missed.add(e);
            }
        }
        return missed;
    }
}
