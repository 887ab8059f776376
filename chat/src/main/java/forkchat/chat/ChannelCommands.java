package forkchat.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static forkchat.chat.Numerics.*;

/**
 * Channel commands: JOIN, PART, TOPIC, NAMES, LIST and channel MODE, and what a session sends
 * its client when its own Join comes back from the log (JOIN, topic, names, history).
 *
 * <p>Channels have no operators ({@code PREFIX=()}): every member may set the topic, and mode
 * changes are refused with 482. History replay: the last {@link ChatConfig#historyOnJoin()}
 * messages to the channel before the Join, sent as {@link Replay} does. A {@link #rejoin} (an
 * account coming back to the channels it was in) replays nothing: {@link OfflineDelivery} sends
 * what the account missed instead.
 */
final class ChannelCommands {

    /** Longest topic, in bytes (TOPICLEN). */
    static final int TOPIC_MAX = 390;

    private final SessionContext s;
    /**
     * Channels being rejoined (folded name): -1 until the session's Join comes back, then that
     * Join's offset until {@link #rejoin} collects it. Such a Join replays no history.
     */
    private final Map<String, Long> rejoining = new HashMap<>();

    ChannelCommands(SessionContext s) {
        this.s = s;
    }

    void join(IrcMessage m) {
        for (String name : splitTargets(m.param(0))) {
            if (name.equals("0")) {
                partAll();
                continue;
            }
            if (!Names.isChannel(name)) {
                s.numeric(ERR_NOSUCHCHANNEL, name, "No such channel");
                continue;
            }
            if (!Names.isValidChannel(name)) {
                s.numeric(ERR_BADCHANMASK, name, "Bad Channel Mask");
                continue;
            }
            if (s.world.isMember(s.id, name)) {
                continue;
            }
            if (full()) {
                s.numeric(ERR_TOOMANYCHANNELS, name, "You have joined too many channels");
                continue;
            }
            if (!s.append("JOIN", new Event.Join(s.id, s.nick, name))) {
                return;
            }
        }
    }

    private boolean full() {
        World.User me = s.world.user(s.id);
        return me != null && me.channelCount() >= s.config.maxChannelsPerClient();
    }

    /**
     * Joins {@code name} for an account that comes back to it: the checks and the Join event of
     * JOIN (refusals are silent), but no history replay. Returns the offset of the Join once it
     * came back from the log, or -1 when the channel was not joined (or not read back yet).
     */
    long rejoin(String name) {
        if (!Names.isValidChannel(name) || s.world.isMember(s.id, name) || full()) {
            return -1;
        }
        String key = Names.fold(name);
        rejoining.put(key, -1L);
        if (!s.append("JOIN", new Event.Join(s.id, s.nick, name))) {
            rejoining.remove(key);
            return -1;
        }
        long offset = rejoining.getOrDefault(key, -1L);
        if (offset >= 0) {
            rejoining.remove(key);
        }
        return offset;
    }

    private void partAll() {
        World.User me = s.world.user(s.id);
        if (me == null) {
            return;
        }
        for (World.Channel ch : new ArrayList<>(me.channels())) {
            if (!s.append("JOIN", new Event.Part(s.id, s.nick, ch.name(), ""))) {
                return;
            }
        }
    }

    void part(IrcMessage m) {
        String reason = m.param(1) == null ? "" : m.param(1);
        for (String name : splitTargets(m.param(0))) {
            World.Channel ch = s.world.channel(name);
            if (ch == null) {
                s.numeric(ERR_NOSUCHCHANNEL, name, "No such channel");
                continue;
            }
            if (!ch.hasMember(s.id)) {
                s.numeric(ERR_NOTONCHANNEL, ch.name(), "You're not on that channel");
                continue;
            }
            String fitted = Replies.fit(":" + s.mask() + " PART " + ch.name() + " :", reason);
            if (!s.append("PART", new Event.Part(s.id, s.nick, ch.name(), fitted))) {
                return;
            }
        }
    }

    void topic(IrcMessage m) {
        String name = m.param(0);
        World.Channel ch = s.world.channel(name);
        if (ch == null) {
            s.numeric(ERR_NOSUCHCHANNEL, name, "No such channel");
            return;
        }
        if (m.paramCount() < 2) {
            sendTopic(ch, true);
            return;
        }
        if (!ch.hasMember(s.id)) {
            s.numeric(ERR_NOTONCHANNEL, ch.name(), "You're not on that channel");
            return;
        }
        String text = Utf8.truncate(m.param(1), TOPIC_MAX);
        text = Replies.fit(":" + s.mask() + " TOPIC " + ch.name() + " :", text);
        s.append("TOPIC", new Event.Topic(s.id, s.nick, ch.name(), text));
    }

    /** 332 + 333, or 331 when asked and no topic is set. */
    private void sendTopic(World.Channel ch, boolean sayNone) {
        World.Topic t = ch.topic();
        if (t == null) {
            if (sayNone) {
                s.numeric(RPL_NOTOPIC, ch.name(), "No topic is set");
            }
            return;
        }
        s.numeric(RPL_TOPIC, ch.name(), t.text());
        s.numericPlain(RPL_TOPICWHOTIME, ch.name(), t.setBy() == null || t.setBy().isEmpty() ? "*" : t.setBy(),
                Timestamps.seconds(t.setAtMillis()));
    }

    void names(IrcMessage m) {
        if (m.paramCount() == 0 || m.param(0).isEmpty()) {
            s.numeric(RPL_ENDOFNAMES, "*", "End of /NAMES list");
            return;
        }
        for (String name : splitTargets(m.param(0))) {
            World.Channel ch = s.world.channel(name);
            if (ch == null) {
                s.numeric(RPL_ENDOFNAMES, name, "End of /NAMES list");
            } else {
                sendNames(ch);
            }
        }
    }

    private void sendNames(World.Channel ch) {
        List<String> nicks = new ArrayList<>(ch.size());
        for (World.User u : ch.members()) {
            nicks.add(u.nick());
        }
        for (String line : s.replies.numericList(s.target(), RPL_NAMREPLY, List.of("=", ch.name()), nicks)) {
            s.send(line);
        }
        s.numeric(RPL_ENDOFNAMES, ch.name(), "End of /NAMES list");
    }

    void list(IrcMessage m) {
        s.numeric(RPL_LISTSTART, "Channel", "Users  Name");
        if (m.paramCount() > 0 && Names.isChannel(m.param(0))) {
            for (String name : splitTargets(m.param(0))) {
                World.Channel ch = s.world.channel(name);
                if (ch != null) {
                    listEntry(ch);
                }
            }
        } else {
            for (World.Channel ch : s.world.channels()) {
                listEntry(ch);
            }
        }
        s.numeric(RPL_LISTEND, "End of /LIST");
    }

    private void listEntry(World.Channel ch) {
        String topic = ch.topic() == null ? "" : ch.topic().text();
        s.numeric(RPL_LIST, ch.name(), Integer.toString(ch.size()), topic);
    }

    /** MODE #channel [modes]: the modes are +n (no external messages), fixed; there is no +t: without operators every member may set the topic; lists are empty; changes need an operator. */
    void mode(IrcMessage m) {
        String name = m.param(0);
        World.Channel ch = s.world.channel(name);
        if (ch == null) {
            s.numeric(ERR_NOSUCHCHANNEL, name, "No such channel");
            return;
        }
        if (m.paramCount() < 2 || m.param(1).isEmpty()) {
            s.numericPlain(RPL_CHANNELMODEIS, ch.name(), "+n");
            s.numericPlain(RPL_CREATIONTIME, ch.name(), Timestamps.seconds(ch.createdMillis()));
            return;
        }
        String modes = m.param(1);
        String letters = modes.replace("+", "");
        if (m.paramCount() == 2 && !letters.isEmpty() && !modes.contains("-") && letters.chars().allMatch(c -> c == 'b'
                || c == 'e' || c == 'I')) {
            // list queries: "MODE #c b", "MODE #c +b"
            for (char c : dedupe(letters).toCharArray()) {
                switch (c) {
                    case 'b' -> s.numeric(RPL_ENDOFBANLIST, ch.name(), "End of channel ban list");
                    case 'e' -> s.numeric(RPL_ENDOFEXCEPTLIST, ch.name(), "End of channel exception list");
                    default -> s.numeric(RPL_ENDOFINVITELIST, ch.name(), "End of channel invite list");
                }
            }
            return;
        }
        s.numeric(ERR_CHANOPRIVSNEEDED, ch.name(), "You're not channel operator");
    }

    /** What the client sees when its own Join is delivered back (after the fold). */
    void onOwnJoin(Entry entry, World.Channel ch) {
        s.sendFromEntry(entry, ":" + s.mask() + " JOIN " + ch.name());
        sendTopic(ch, false);
        sendNames(ch);
        String name = ch.name();
        String key = ch.key();
        Long pending = rejoining.get(key);
        if (pending != null && pending < 0) {
            rejoining.put(key, entry.offset());
            return;
        }
        s.outsideAppendIf(() -> replayHistory(entry.offset(), name, key));
    }

    private void replayHistory(long before, String name, String key) {
        int limit = s.config.historyOnJoin();
        if (limit <= 0 || s.closed) {
            return;
        }
        List<Entry> history;
        try {
            history = s.journal.history(before, limit, e -> e instanceof Event.Message msg
                    && msg.target() != null && Names.isChannel(msg.target()) && Names.fold(msg.target()).equals(key));
        } catch (RuntimeException e) {
            SessionContext.LOG.warn("session {}: no history for {}: {}", s.id, name, e.toString());
            return;
        }
        for (Entry h : history) {
            Replay.send(s, h, name);
        }
    }

    /** Comma-separated targets, empty ones dropped, duplicates (folded) dropped. */
    static List<String> splitTargets(String list) {
        Map<String, String> seen = new LinkedHashMap<>();
        for (String t : list.split(",")) {
            if (!t.isEmpty()) {
                seen.putIfAbsent(Names.fold(t), t);
            }
        }
        return new ArrayList<>(seen.values());
    }

    private static String dedupe(String letters) {
        StringBuilder sb = new StringBuilder();
        for (char c : letters.toCharArray()) {
            if (sb.indexOf(String.valueOf(c)) < 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
