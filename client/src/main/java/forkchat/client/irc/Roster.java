package forkchat.client.irc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channels the client is in on this connection and who is in each, kept from JOIN, PART,
 * QUIT, KICK, NICK and NAMES. Members are kept in order of last activity (joining or speaking
 * moves a nick to the end), so completion can offer the people who are talking first.
 * Names are compared with the server's case mapping.
 */
final class Roster {

    /** One joined channel. */
    static final class Channel {
        final String name;
        final Map<String, String> members = new LinkedHashMap<>();

        Channel(String name) {
            this.name = name;
        }
    }

    private final Map<String, Channel> channels = new LinkedHashMap<>();
    private Isupport isupport = Isupport.RFC;

    Isupport isupport() {
        return isupport;
    }

    /** Switches to the server's rules (from 005, which comes before any JOIN). */
    void use(Isupport rules) {
        List<Channel> old = new ArrayList<>(channels.values());
        isupport = rules;
        channels.clear();
        for (Channel c : old) {
            Channel copy = new Channel(c.name);
            c.members.values().forEach(n -> copy.members.put(rules.fold(n), n));
            channels.put(rules.fold(c.name), copy);
        }
    }

    void joined(String channel) {
        channels.putIfAbsent(isupport.fold(channel), new Channel(channel));
    }

    void left(String channel) {
        channels.remove(isupport.fold(channel));
    }

    boolean isJoined(String channel) {
        return channel != null && channels.containsKey(isupport.fold(channel));
    }

    /** The channel's name as the server spells it, or null when not joined. */
    String name(String channel) {
        Channel c = channels.get(isupport.fold(channel));
        return c == null ? null : c.name;
    }

    /** Joined channels, in the order they were joined. */
    List<String> channels() {
        return channels.values().stream().map(c -> c.name).toList();
    }

    /** Adds {@code nick} to {@code channel}, or moves it to the most recently active end. */
    void touch(String channel, String nick) {
        Channel c = channels.get(isupport.fold(channel));
        if (c != null) {
            String key = isupport.fold(nick);
            c.members.remove(key);
            c.members.put(key, nick);
        }
    }

    /** Replaces the member list (a complete NAMES reply). */
    void members(String channel, Collection<String> nicks) {
        Channel c = channels.get(isupport.fold(channel));
        if (c != null) {
            c.members.clear();
            nicks.forEach(n -> c.members.put(isupport.fold(n), n));
        }
    }

    /** Members of {@code channel}, least recently active first; empty when not joined. */
    List<String> members(String channel) {
        Channel c = channel == null ? null : channels.get(isupport.fold(channel));
        return c == null ? List.of() : List.copyOf(c.members.values());
    }

    void remove(String channel, String nick) {
        Channel c = channels.get(isupport.fold(channel));
        if (c != null) {
            c.members.remove(isupport.fold(nick));
        }
    }

    /** Removes {@code nick} from every channel; returns the channels it was in. */
    List<String> removeEverywhere(String nick) {
        List<String> where = new ArrayList<>();
        String key = isupport.fold(nick);
        for (Channel c : channels.values()) {
            if (c.members.remove(key) != null) {
                where.add(c.name);
            }
        }
        return where;
    }

    /** Renames {@code from} to {@code to} everywhere; returns the channels it was in. */
    List<String> rename(String from, String to) {
        List<String> where = new ArrayList<>();
        String key = isupport.fold(from);
        for (Channel c : channels.values()) {
            if (c.members.remove(key) != null) {
                c.members.put(isupport.fold(to), to);
                where.add(c.name);
            }
        }
        return where;
    }
}
