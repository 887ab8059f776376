package forkchat.client.irc;

import forkchat.chat.IrcMessage;
import forkchat.chat.Names;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Interprets what people do, once registration has let the client in: messages, joins, parts,
 * quits, kicks, nick and topic changes update the {@link Session}'s state (roster, nick,
 * target) and become the {@link Line}s the user sees. Numeric replies go to
 * {@link ServerReplies}. Runs under the session's monitor.
 */
final class Incoming {

    private final Session s;
    private final ServerReplies replies;

    Incoming(Session session) {
        this.s = session;
        this.replies = new ServerReplies(session, this);
    }

    void handle(IrcMessage m) {
        String from = nickOf(m.source());
        switch (m.command()) {
            case "PRIVMSG", "NOTICE" -> message(m, from);
            case "JOIN" -> join(m, from);
            case "PART" -> part(m, from);
            case "QUIT" -> quit(m, from);
            case "KICK" -> kick(m, from);
            case "NICK" -> nick(m, from);
            case "TOPIC" -> s.show(Line.event(time(m), Line.Kind.TOPIC, m.param(0), from, clean(last(m)), null, own(from)));
            case "MODE" -> mode(m, from);
            case "INVITE" -> info(m, from + " invites you to " + m.param(1) + " (/join " + m.param(1) + ")");
            case "PONG" -> s.pongs.add(last(m));
            case "ERROR" -> s.closing = clean(last(m)); // shown with the disconnection
            case "CAP", "AUTHENTICATE" -> {
                // after registration: nothing to show
            }
            default -> {
                if (ServerReplies.isNumeric(m.command())) {
                    replies.handle(m);
                } else {
                    info(m, clean(m.command() + " " + String.join(" ", m.params())));
                }
            }
        }
    }

    // ---- messages ----

    private void message(IrcMessage m, String from) {
        boolean notice = "NOTICE".equals(m.command());
        String to = m.param(0);
        String text = last(m);
        Instant at = time(m);
        if (m.source() == null || m.source().indexOf('!') < 0 || to == null || "*".equals(to)) {
            s.show(new Line(at, Line.Kind.NOTICE, null, m.source() == null ? "server" : m.source(), clean(text),
                    null, false, false, false, false));
            return;
        }
        boolean own = own(from);
        Ctcp ctcp = Ctcp.parse(text);
        if (ctcp != null && !"ACTION".equals(ctcp.command())) {
            ctcpRequestOrReply(at, from, ctcp, notice, own);
            return;
        }
        String body = ctcp != null ? ctcp.args() : text;
        boolean history = false;
        if (isChannel(to)) {
            String key = fold(to);
            Instant joined = s.joinedAt.getOrDefault(key, s.connectedAt);
            if (m.tags().containsKey("time") && joined != null && at.isBefore(joined)) {
                history = true;
            } else if (!s.hasCap("server-time")) {
                HistoryStamp stamp = HistoryStamp.parse(body);
                if (stamp != null) {
                    history = true;
                    at = stamp.time();
                    body = stamp.text();
                }
            }
            Instant seen = s.lastSeen.get(key);
            if (history && seen != null && !at.isAfter(seen)) {
                return; // shown before the connection was lost
            }
            if (seen == null || at.isAfter(seen)) {
                s.lastSeen.put(key, at);
            }
            if (!history) {
                s.roster.touch(to, from);
            }
        } else if (!own) {
            s.rememberQuery(from);
        }
        if (own && !history) {
            s.echoes++;
        }
        Line.Kind kind = notice ? Line.Kind.NOTICE : ctcp != null ? Line.Kind.ACTION : Line.Kind.MESSAGE;
        s.show(messageLine(at, kind, from, to, body, own, history));
    }

    /** The line for a message from {@code from} to {@code to}. */
    Line messageLine(Instant at, Line.Kind kind, String from, String to, String text, boolean own, boolean history) {
        boolean channel = isChannel(to);
        String context;
        if (channel) {
            String name = s.roster.name(to);
            context = name != null ? name : to;
        } else {
            context = own ? to : from;
        }
        String shown = PlainText.clean(text);
        boolean highlight = !own && mentions(shown, s.nick());
        return new Line(at, kind, context, from, shown, null, own, !channel, history, highlight);
    }

    private void ctcpRequestOrReply(Instant at, String from, Ctcp ctcp, boolean reply, boolean own) {
        if (own) {
            return;
        }
        if (reply) {
            s.show(Line.info(at, "CTCP " + ctcp.command() + " reply from " + from + ": " + clean(ctcp.args())));
            return;
        }
        String answer = switch (ctcp.command()) {
            case "VERSION" -> Session.VERSION;
            case "PING" -> ctcp.args();
            case "TIME" -> java.time.ZonedDateTime.now().format(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
            case "CLIENTINFO" -> "ACTION CLIENTINFO PING TIME VERSION";
            default -> null;
        };
        s.show(Line.info(at, from + " asked for CTCP " + ctcp.command()));
        if (answer != null) {
            s.send("NOTICE " + from + " :" + new Ctcp(ctcp.command(), answer).encode());
        }
    }

    // ---- presence ----

    private void join(IrcMessage m, String from) {
        String channel = m.param(0);
        if (channel == null) {
            return;
        }
        String key = fold(channel);
        if (own(from)) {
            s.roster.joined(channel);
            s.roster.touch(channel, from);
            if (m.source().indexOf('!') > 0) {
                s.mask = m.source();
            }
            s.joinedAt.put(key, m.tags().containsKey("time") ? time(m) : s.now());
            s.wanted.putIfAbsent(Names.fold(channel), channel);
            if (s.switchOnJoin.remove(key) || s.target == null || s.roster.isupport().same(s.target, channel)) {
                s.target = channel;
            }
            if (s.everJoined.add(key)) {
                s.namesWanted.add(key);
            }
        } else {
            s.roster.touch(channel, from);
        }
        s.show(Line.event(time(m), Line.Kind.JOIN, channel, from, null, userHost(m.source()), own(from)));
    }

    private void part(IrcMessage m, String from) {
        String channel = m.param(0);
        if (own(from)) {
            leave(channel);
        } else {
            s.roster.remove(channel, from);
        }
        s.show(Line.event(time(m), Line.Kind.PART, channel, from, clean(m.paramCount() > 1 ? last(m) : ""), null,
                own(from)));
    }

    private void quit(IrcMessage m, String from) {
        reclaim(from);
        List<String> where = s.roster.removeEverywhere(from);
        boolean talked = s.queries.stream().anyMatch(q -> same(q, from));
        if (!where.isEmpty() || talked) {
            s.show(Line.event(time(m), Line.Kind.QUIT, null, from, clean(last(m)), null, false));
        }
    }

    private void kick(IrcMessage m, String from) {
        String channel = m.param(0);
        String victim = m.param(1);
        boolean own = own(victim);
        if (own) {
            leave(channel);
        } else {
            s.roster.remove(channel, victim);
        }
        s.show(Line.event(time(m), Line.Kind.KICK, channel, victim, clean(m.paramCount() > 2 ? last(m) : ""), from,
                own));
    }

    private void nick(IrcMessage m, String from) {
        String to = m.param(0);
        boolean own = own(from);
        List<String> where = s.roster.rename(from, to);
        boolean talked = false;
        for (int i = 0; i < s.queries.size(); i++) {
            if (same(s.queries.get(i), from)) {
                s.queries.set(i, to);
                talked = true;
            }
        }
        if (same(s.target, from)) {
            s.target = to;
        }
        if (own) {
            s.registration.renamed(to);
            s.preferredNick = to;
            if (s.mask != null) {
                s.mask = to + s.mask.substring(s.mask.indexOf('!'));
            }
        }
        if (own || talked || !where.isEmpty()) {
            s.show(Line.event(time(m), Line.Kind.NICK, null, from, null, to, own));
        }
        if (!own) {
            reclaim(from);
        }
    }

    /**
     * The nick the user wants was taken (typically by their own connection the server has not
     * yet noticed is dead) and {@code freed} just gave it up: take it back.
     */
    private void reclaim(String freed) {
        if (same(freed, s.preferredNick) && !same(s.nick(), s.preferredNick)) {
            s.send("NICK " + s.preferredNick);
        }
    }

    private void mode(IrcMessage m, String from) {
        String where = m.param(0);
        if (!isChannel(where)) {
            return; // user modes: not interesting
        }
        List<String> change = m.params().subList(1, m.paramCount());
        s.show(Line.event(time(m), Line.Kind.MODE, where, from, String.join(" ", change), null, own(from)));
    }

    /**
     * The client is out of {@code channel} (parted or kicked): not rejoined after a reconnect,
     * and if it was the target, the next joined channel is.
     */
    private void leave(String channel) {
        s.roster.left(channel);
        s.wanted.remove(Names.fold(channel));
        if (same(s.target, channel)) {
            s.target = s.firstChannel();
        }
    }

    // ---- helpers ----

    void info(IrcMessage m, String text) {
        s.show(Line.info(time(m), text));
    }

    void error(IrcMessage m, String text) {
        s.errors++;
        s.lastError = text;
        s.show(Line.error(time(m), text));
    }

    /** The message's server-time, or now. */
    Instant time(IrcMessage m) {
        String t = m.tags().get("time");
        if (t != null && !t.isEmpty()) {
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException e) {
                // a server with a broken clock format: use ours
            }
        }
        return s.now();
    }

    private boolean own(String nick) {
        return nick != null && same(nick, s.nick());
    }

    private boolean isChannel(String name) {
        return s.roster.isupport().isChannel(name);
    }

    String fold(String name) {
        return s.roster.isupport().fold(name);
    }

    private boolean same(String a, String b) {
        return s.roster.isupport().same(a, b);
    }

    /** Whether {@code text} mentions {@code nick} as a word of its own. */
    boolean mentions(String text, String nick) {
        if (nick == null || nick.isEmpty()) {
            return false;
        }
        String t = fold(text);
        String n = fold(nick);
        for (int i = t.indexOf(n); i >= 0; i = t.indexOf(n, i + 1)) {
            boolean startOk = i == 0 || !isNickChar(t.charAt(i - 1));
            int end = i + n.length();
            boolean endOk = end == t.length() || !isNickChar(t.charAt(end));
            if (startOk && endOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNickChar(char c) {
        return Character.isLetterOrDigit(c) || "[]\\`_^{|}-".indexOf(c) >= 0;
    }

    static String nickOf(String source) {
        if (source == null) {
            return null;
        }
        int bang = source.indexOf('!');
        return bang < 0 ? source : source.substring(0, bang);
    }

    private static String userHost(String source) {
        int bang = source == null ? -1 : source.indexOf('!');
        return bang < 0 ? null : source.substring(bang + 1);
    }

    static String last(IrcMessage m) {
        return m.paramCount() == 0 ? "" : m.param(m.paramCount() - 1);
    }

    static String last(List<String> args) {
        return args.isEmpty() ? "" : args.get(args.size() - 1);
    }

    static String arg(List<String> args, int i) {
        return i < args.size() ? args.get(i) : "";
    }

    static String clean(String text) {
        return PlainText.clean(text);
    }
}
