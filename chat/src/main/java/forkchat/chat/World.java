package forkchat.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fold of the log: who is online (session → nick, user, host, away), which channels exist,
 * their members and topics. Reset by ServerStart. Pure data; no I/O. One instance per session.
 *
 * <p>Rules of the fold, chosen so that every worker reaches the same state from the same log
 * whatever it is handed:
 * <ul>
 *   <li>Connect for a session already online, or for a nick already held, is ignored (the claim
 *       lost a race it should not have been able to lose).</li>
 *   <li>Events of sessions that are not online (unknown, or already quit) are ignored, except
 *       {@link Event.Message}, which changes nothing here anyway.</li>
 *   <li>A channel exists while it has members and disappears with its last member.</li>
 *   <li>Topics outlive their channel: a topic is remembered per folded channel name and comes
 *       back when the channel is joined again, also across a ServerStart. (Presence is per run of
 *       the daemon; a topic is what the channel is about, which a restart does not change.)</li>
 *   <li>A Topic with empty text clears the topic.</li>
 * </ul>
 *
 * <p>The {@link User} and {@link Channel} objects handed out are live read-only views: they
 * change with later {@link #apply} calls. Not thread-safe (one owner).
 */
public final class World {

    /** A topic, who set it (nick) and when (ms since the epoch). */
    public record Topic(String text, String setBy, long setAtMillis) {
    }

    /** A registered session as the log tells it. */
    public static final class User {
        private final String session;
        private String nick;
        private final String user;
        private final String host;
        private final String realname;
        private String away;
        private final LinkedHashMap<String, Channel> channels = new LinkedHashMap<>();

        User(String session, String nick, String user, String host, String realname) {
            this.session = session;
            this.nick = nick;
            this.user = user;
            this.host = host;
            this.realname = realname;
        }

        public String session() {
            return session;
        }

        public String nick() {
            return nick;
        }

        public String user() {
            return user;
        }

        public String host() {
            return host;
        }

        public String realname() {
            return realname;
        }

        /** The away message, or null when not away. */
        public String away() {
            return away;
        }

        /** {@code nick!user@host}. */
        public String mask() {
            return nick + "!" + user + "@" + host;
        }

        /** The channels this user is in, in join order. */
        public Collection<Channel> channels() {
            return Collections.unmodifiableCollection(channels.values());
        }

        public int channelCount() {
            return channels.size();
        }

        @Override
        public String toString() {
            return "User[" + session + " " + mask() + "]";
        }
    }

    /** A channel with at least one member. */
    public static final class Channel {
        private final String name;
        private final String key;
        private final long createdMillis;
        private final LinkedHashMap<String, User> members = new LinkedHashMap<>();
        private Topic topic;

        Channel(String name, String key, long createdMillis, Topic topic) {
            this.name = name;
            this.key = key;
            this.createdMillis = createdMillis;
            this.topic = topic;
        }

        /** The name as its first member typed it. */
        public String name() {
            return name;
        }

        /** {@link Names#fold} of the name. */
        public String key() {
            return key;
        }

        /** When the channel was created (its first Join in this run), ms since the epoch. */
        public long createdMillis() {
            return createdMillis;
        }

        /** The topic, or null when none is set. */
        public Topic topic() {
            return topic;
        }

        /** Members in join order. */
        public Collection<User> members() {
            return Collections.unmodifiableCollection(members.values());
        }

        public int size() {
            return members.size();
        }

        public boolean hasMember(String session) {
            return members.containsKey(session);
        }

        @Override
        public String toString() {
            return "Channel[" + name + " " + members.size() + "]";
        }
    }

    private final Map<String, User> bySession = new HashMap<>();
    private final Map<String, User> byNick = new HashMap<>();
    private final Map<String, Channel> channels = new LinkedHashMap<>();
    private final Map<String, Topic> topics = new HashMap<>();
    private long lastOffset = -1;

    /** Folds one entry into the state. Unknown sessions and duplicate quits are ignored. */
    public void apply(Entry entry) {
        lastOffset = entry.offset();
        switch (entry.event()) {
            case Event.ServerStart ignored -> {
                bySession.clear();
                byNick.clear();
                channels.clear();
            }
            case Event.Connect c -> {
                if (c.session() == null || c.nick() == null || bySession.containsKey(c.session())
                        || byNick.containsKey(Names.fold(c.nick()))) {
                    return;
                }
                User u = new User(c.session(), c.nick(), c.user(), c.host(), c.realname());
                bySession.put(u.session, u);
                byNick.put(Names.fold(u.nick), u);
            }
            case Event.NickChange n -> {
                User u = bySession.get(n.session());
                if (u == null || n.newNick() == null) {
                    return;
                }
                String newKey = Names.fold(n.newNick());
                User holder = byNick.get(newKey);
                if (holder != null && holder != u) {
                    return;
                }
                byNick.remove(Names.fold(u.nick));
                u.nick = n.newNick();
                byNick.put(newKey, u);
            }
            case Event.Join j -> {
                User u = bySession.get(j.session());
                if (u == null || j.channel() == null || j.channel().isEmpty()) {
                    return;
                }
                String key = Names.fold(j.channel());
                Channel ch = channels.get(key);
                if (ch == null) {
                    ch = new Channel(j.channel(), key, entry.timeMillis(), topics.get(key));
                    channels.put(key, ch);
                }
                ch.members.putIfAbsent(u.session, u);
                u.channels.putIfAbsent(key, ch);
            }
            case Event.Part p -> {
                User u = bySession.get(p.session());
                if (u != null && p.channel() != null) {
                    leave(u, Names.fold(p.channel()));
                }
            }
            case Event.Quit q -> {
                User u = bySession.remove(q.session());
                if (u == null) {
                    return;
                }
                byNick.remove(Names.fold(u.nick));
                for (String key : new ArrayList<>(u.channels.keySet())) {
                    leave(u, key);
                }
            }
            case Event.Topic t -> {
                if (t.channel() == null || !bySession.containsKey(t.session())) {
                    return;
                }
                String key = Names.fold(t.channel());
                Channel ch = channels.get(key);
                if (ch == null) {
                    return;
                }
                Topic topic = t.text() == null || t.text().isEmpty() ? null
                        : new Topic(t.text(), t.nick(), entry.timeMillis());
                ch.topic = topic;
                if (topic == null) {
                    topics.remove(key);
                } else {
                    topics.put(key, topic);
                }
            }
            case Event.Away a -> {
                User u = bySession.get(a.session());
                if (u != null) {
                    u.away = a.message() == null || a.message().isEmpty() ? null : a.message();
                }
            }
            case Event.Message ignored -> {
            }
        }
    }

    private void leave(User u, String key) {
        Channel ch = u.channels.remove(key);
        if (ch == null) {
            return;
        }
        ch.members.remove(u.session);
        if (ch.members.isEmpty()) {
            channels.remove(key);
        }
    }

    /** Whether a registered session holds {@code nick} (case-insensitively, {@link Names#fold}). */
    public boolean nickInUse(String nick) {
        return nick != null && byNick.containsKey(Names.fold(nick));
    }

    /** The current nick of a session, or null if not online. */
    public String nickOf(String session) {
        User u = bySession.get(session);
        return u == null ? null : u.nick;
    }

    /** The online session with this id, or null. */
    public User user(String session) {
        return session == null ? null : bySession.get(session);
    }

    /** The online session holding {@code nick} (folded), or null. */
    public User userByNick(String nick) {
        return nick == null ? null : byNick.get(Names.fold(nick));
    }

    /** The channel called {@code name} (folded), or null when it has no members. */
    public Channel channel(String name) {
        return name == null ? null : channels.get(Names.fold(name));
    }

    /** Every channel with members, oldest first. */
    public Collection<Channel> channels() {
        return Collections.unmodifiableCollection(channels.values());
    }

    /** Whether {@code session} is a member of channel {@code name}. */
    public boolean isMember(String session, String name) {
        Channel ch = channel(name);
        return ch != null && ch.members.containsKey(session);
    }

    /** Whether two sessions have at least one channel in common. */
    public boolean shareChannel(String a, String b) {
        User ua = bySession.get(a);
        User ub = bySession.get(b);
        if (ua == null || ub == null) {
            return false;
        }
        User small = ua.channels.size() <= ub.channels.size() ? ua : ub;
        User other = small == ua ? ub : ua;
        for (String key : small.channels.keySet()) {
            if (other.channels.containsKey(key)) {
                return true;
            }
        }
        return false;
    }

    /** The remembered topic of a channel name, whether or not the channel has members now. */
    public Topic topicOf(String name) {
        return name == null ? null : topics.get(Names.fold(name));
    }

    /** Number of registered sessions online. */
    public int userCount() {
        return bySession.size();
    }

    /** Number of channels with members. */
    public int channelCount() {
        return channels.size();
    }

    /** The sessions online (unordered snapshot). */
    public List<User> users() {
        return List.copyOf(bySession.values());
    }

    /** Offset of the last entry applied, or -1. */
    public long lastOffset() {
        return lastOffset;
    }

    /** The folded names of a user's channels (empty when offline). */
    public Set<String> channelKeysOf(String session) {
        User u = bySession.get(session);
        return u == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(u.channels.keySet()));
    }

    // ---- snapshot: the fold as bytes, so a new session can start from it instead of from the run's start

    private static final int SNAPSHOT_VERSION = 1;

    /**
     * The whole state as bytes: every online session (with its channels in its own join order),
     * every channel (name, creation time, topic, members in join order), every remembered topic
     * and the last offset applied. {@link #restore} of them gives a world that answers every
     * query as this one does and folds later entries to the same state.
     */
    public byte[] snapshot() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeInt(SNAPSHOT_VERSION);
            out.writeLong(lastOffset);
            out.writeInt(bySession.size());
            for (User u : bySession.values()) {
                writeString(out, u.session);
                writeString(out, u.nick);
                writeString(out, u.user);
                writeString(out, u.host);
                writeString(out, u.realname);
                writeString(out, u.away);
            }
            out.writeInt(channels.size());
            for (Channel ch : channels.values()) {
                writeString(out, ch.name);
                out.writeLong(ch.createdMillis);
                writeTopic(out, ch.topic);
                out.writeInt(ch.members.size());
                for (String session : ch.members.keySet()) {
                    writeString(out, session);
                }
            }
            out.writeInt(topics.size());
            for (Map.Entry<String, Topic> t : topics.entrySet()) {
                writeString(out, t.getKey());
                writeTopic(out, t.getValue());
            }
            for (User u : bySession.values()) { // each user's channels in its own order
                out.writeInt(u.channels.size());
                for (String key : u.channels.keySet()) {
                    writeString(out, key);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** The world {@link #snapshot} described; IllegalArgumentException if the bytes are not one. */
    public static World restore(byte[] snapshot) {
        World w = new World();
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(snapshot))) {
            int version = in.readInt();
            if (version != SNAPSHOT_VERSION) {
                throw new IllegalArgumentException("snapshot version " + version + " (this version reads "
                        + SNAPSHOT_VERSION + ")");
            }
            w.lastOffset = in.readLong();
            int users = count(in);
            List<User> order = new ArrayList<>(users);
            for (int i = 0; i < users; i++) {
                User u = new User(readString(in), readString(in), readString(in), readString(in), readString(in));
                u.away = readString(in);
                if (u.session == null || u.nick == null || w.bySession.put(u.session, u) != null
                        || w.byNick.put(Names.fold(u.nick), u) != null) {
                    throw new IllegalArgumentException("snapshot has a session twice or without a nick");
                }
                order.add(u);
            }
            int channelCount = count(in);
            for (int i = 0; i < channelCount; i++) {
                String name = readString(in);
                long created = in.readLong();
                Topic topic = readTopic(in);
                Channel ch = new Channel(name, Names.fold(name), created, topic);
                w.channels.put(ch.key, ch);
                int members = count(in);
                for (int m = 0; m < members; m++) {
                    User u = w.bySession.get(readString(in));
                    if (u == null) {
                        throw new IllegalArgumentException("snapshot has a member who is not online");
                    }
                    ch.members.put(u.session, u);
                }
            }
            int topicCount = count(in);
            for (int i = 0; i < topicCount; i++) {
                w.topics.put(readString(in), readTopic(in));
            }
            for (User u : order) {
                int n = count(in);
                for (int c = 0; c < n; c++) {
                    String key = readString(in);
                    Channel ch = w.channels.get(key);
                    if (ch == null || !ch.members.containsKey(u.session)) {
                        throw new IllegalArgumentException("snapshot has a user in a channel that does not list it");
                    }
                    u.channels.put(key, ch);
                }
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("snapshot has bytes after its end");
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("snapshot cut short: " + e, e);
        }
        return w;
    }

    private static int count(java.io.DataInputStream in) throws java.io.IOException {
        int n = in.readInt();
        if (n < 0 || n > 10_000_000) {
            throw new IllegalArgumentException("snapshot count " + n);
        }
        return n;
    }

    private static void writeTopic(java.io.DataOutputStream out, Topic t) throws java.io.IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            writeString(out, t.text());
            writeString(out, t.setBy());
            out.writeLong(t.setAtMillis());
        }
    }

    private static Topic readTopic(java.io.DataInputStream in) throws java.io.IOException {
        return in.readBoolean() ? new Topic(readString(in), readString(in), in.readLong()) : null;
    }

    /** A nullable string: length (-1 for null) and UTF-8 bytes. */
    private static void writeString(java.io.DataOutputStream out, String s) throws java.io.IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(java.io.DataInputStream in) throws java.io.IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > 1 << 20) {
            throw new IllegalArgumentException("snapshot string of " + n + " bytes");
        }
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new java.io.EOFException();
        }
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
