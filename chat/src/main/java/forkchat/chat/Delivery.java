package forkchat.chat;

import java.util.function.Consumer;

/**
 * What a session does with each entry read back from the log: fold it into its {@link World} and
 * send its client whatever concerns it. This is the fan-out: every session reads every entry and
 * decides for itself, so all clients see the same order.
 *
 * <p>Each entry is handled in three steps: <em>plan</em> with the world as it was before the
 * entry (who shared a channel with a quitter, what the old nick was), <em>apply</em> the entry,
 * then <em>emit</em> (a join burst needs the channel as it is after). A failure in planning or
 * emitting is logged and does not stop the fold.
 *
 * <p>Who sees what: a channel message goes to the members but its sender (who gets it only with
 * echo-message); a private message to the session holding the target nick (plus echo); Join, Part
 * and Topic to the channel's members (the joiner and the parter included); Quit and NickChange to
 * whoever shares a channel (NickChange also to the session itself); Connect, Away and ServerStart
 * to nobody. A ServerStart or a Quit written by someone else for this very session means its
 * presence is gone: a registered session then closes with an ERROR.
 */
final class Delivery implements Consumer<Entry> {

    private final SessionContext s;
    private final Registration registration;
    private final ChannelCommands channels;

    Delivery(SessionContext s, Registration registration, ChannelCommands channels) {
        this.s = s;
        this.registration = registration;
        this.channels = channels;
    }

    @Override
    public void accept(Entry entry) {
        Runnable emit = null;
        try {
            emit = plan(entry);
        } catch (RuntimeException e) {
            SessionContext.LOG.error("session {}: cannot plan delivery of entry {}", s.id, entry.offset(), e);
        }
        try {
            s.world.apply(entry);
        } catch (RuntimeException e) {
            SessionContext.LOG.error("session {}: cannot fold entry {}", s.id, entry.offset(), e);
        }
        if (emit != null && !s.closed) {
            try {
                emit.run();
            } catch (RuntimeException e) {
                SessionContext.LOG.error("session {}: cannot deliver entry {}", s.id, entry.offset(), e);
            }
        }
    }

    private Runnable plan(Entry entry) {
        World w = s.world;
        return switch (entry.event()) {
            case Event.ServerStart ignored -> s.registered
                    ? () -> s.end(s.closingLink("Server restarted"), null, "Server restarted")
                    : null;
            case Event.Connect c -> s.id.equals(c.session()) ? () -> registration.onOwnConnect(entry, c) : null;
            case Event.NickChange n -> planNick(entry, n);
            case Event.Join j -> planJoin(entry, j);
            case Event.Part p -> {
                World.Channel ch = w.channel(p.channel());
                World.User u = w.user(p.session());
                if (ch == null || u == null || !ch.hasMember(p.session()) || !ch.hasMember(s.id)) {
                    yield null;
                }
                String line = ":" + u.mask() + " PART " + ch.name()
                        + (p.reason() == null || p.reason().isEmpty() ? "" : " :" + p.reason());
                yield () -> s.sendFromEntry(entry, line);
            }
            case Event.Quit q -> planQuit(entry, q);
            case Event.Topic t -> {
                World.Channel ch = w.channel(t.channel());
                World.User u = w.user(t.session());
                if (ch == null || u == null || !ch.hasMember(s.id)) {
                    yield null;
                }
                String line = ":" + u.mask() + " TOPIC " + ch.name() + " :" + (t.text() == null ? "" : t.text());
                yield () -> s.sendFromEntry(entry, line);
            }
            case Event.Message m -> planMessage(entry, m);
            case Event.Away ignored -> null;
        };
    }

    private Runnable planNick(Entry entry, Event.NickChange n) {
        World.User u = s.world.user(n.session());
        if (u == null) {
            return null;
        }
        boolean mine = s.id.equals(n.session());
        boolean concerns = mine || (s.registered && s.world.shareChannel(s.id, n.session()));
        String line = ":" + u.mask() + " NICK :" + n.newNick();
        return () -> {
            if (!n.newNick().equals(u.nick())) {
                return; // the fold refused it
            }
            if (concerns) {
                s.sendFromEntry(entry, line);
            }
            if (mine) {
                registration.onOwnNickChange(u.nick());
            }
        };
    }

    private Runnable planJoin(Entry entry, Event.Join j) {
        World w = s.world;
        if (w.user(j.session()) == null || w.isMember(j.session(), j.channel())) {
            return null; // unknown session or already a member: the fold changes nothing
        }
        if (s.id.equals(j.session())) {
            return () -> {
                World.Channel ch = w.channel(j.channel());
                if (ch != null && ch.hasMember(s.id)) {
                    channels.onOwnJoin(entry, ch);
                }
            };
        }
        if (!w.isMember(s.id, j.channel())) {
            return null;
        }
        return () -> {
            World.Channel ch = w.channel(j.channel());
            World.User u = w.user(j.session());
            if (ch != null && u != null) {
                s.sendFromEntry(entry, ":" + u.mask() + " JOIN " + ch.name());
            }
        };
    }

    private Runnable planQuit(Entry entry, Event.Quit q) {
        World.User u = s.world.user(q.session());
        if (u == null) {
            return null;
        }
        if (s.id.equals(q.session())) {
            // Someone else (the supervisor) ended our presence while we still run.
            String reason = q.reason() == null || q.reason().isEmpty() ? "Quit" : q.reason();
            return () -> s.end(s.closingLink(reason), null, reason);
        }
        if (!s.registered || !s.world.shareChannel(s.id, q.session())) {
            return null;
        }
        String line = ":" + u.mask() + " QUIT :" + (q.reason() == null ? "" : q.reason());
        return () -> s.sendFromEntry(entry, line);
    }

    private Runnable planMessage(Entry entry, Event.Message m) {
        if (!s.registered || m.target() == null) {
            return null;
        }
        boolean mine = s.id.equals(m.session());
        boolean echo = mine && s.caps.has(Capabilities.ECHO_MESSAGE);
        boolean recipient;
        if (Names.isChannel(m.target())) {
            recipient = !mine && s.world.isMember(s.id, m.target());
        } else {
            World.User to = s.world.userByNick(m.target());
            recipient = to != null && to.session().equals(s.id);
        }
        if (!echo && !recipient) {
            return null;
        }
        String line = ":" + m.source() + (m.notice() ? " NOTICE " : " PRIVMSG ") + m.target() + " :" + m.text();
        return () -> s.sendFromEntry(entry, line);
    }
}
