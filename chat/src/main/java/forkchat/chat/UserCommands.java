package forkchat.chat;

import java.util.ArrayList;
import java.util.List;

import static forkchat.chat.Numerics.*;

/**
 * Commands about users: AWAY, WHO, WHOIS and user MODE. Everything is answered from the session's
 * own {@link World}; only AWAY writes to the log. User mode {@code +i} is accepted and reported
 * back but changes nothing (there is no user list a stranger could browse anyway).
 */
final class UserCommands {

    /** Longest away message, in bytes (AWAYLEN). */
    static final int AWAY_MAX = 200;

    private final SessionContext s;

    UserCommands(SessionContext s) {
        this.s = s;
    }

    void away(IrcMessage m) {
        String message = m.paramCount() == 0 ? "" : Utf8.truncate(m.param(0), AWAY_MAX);
        if (s.append("AWAY", new Event.Away(s.id, message))) {
            if (message.isEmpty()) {
                s.numeric(RPL_UNAWAY, "You are no longer marked as being away");
            } else {
                s.numeric(RPL_NOWAWAY, "You have been marked as being away");
            }
        }
    }

    void who(IrcMessage m) {
        String mask = m.paramCount() == 0 || m.param(0).isEmpty() ? "*" : m.param(0);
        if (Names.isChannel(mask)) {
            World.Channel ch = s.world.channel(mask);
            if (ch != null) {
                for (World.User u : ch.members()) {
                    whoReply(ch.name(), u);
                }
                mask = ch.name();
            }
        } else {
            World.User u = s.world.userByNick(mask);
            if (u != null) {
                World.Channel first = u.channels().stream().findFirst().orElse(null);
                whoReply(first == null ? "*" : first.name(), u);
            }
        }
        s.numeric(RPL_ENDOFWHO, mask, "End of /WHO list");
    }

    private void whoReply(String channel, World.User u) {
        String flags = u.away() == null ? "H" : "G";
        s.numeric(RPL_WHOREPLY, channel, u.user(), u.host(), s.config.serverName(), u.nick(), flags,
                "0 " + u.realname());
    }

    void whois(IrcMessage m) {
        if (m.paramCount() == 0 || m.param(m.paramCount() - 1).isEmpty()) {
            s.numeric(ERR_NONICKNAMEGIVEN, "No nickname given");
            return;
        }
        // "WHOIS nick" or "WHOIS server nick": the nick is the last parameter; one nick only.
        String nick = m.param(m.paramCount() - 1).split(",")[0];
        World.User u = s.world.userByNick(nick);
        if (u == null) {
            s.numeric(ERR_NOSUCHNICK, nick, "No such nick/channel");
            s.numeric(RPL_ENDOFWHOIS, nick, "End of /WHOIS list");
            return;
        }
        s.numeric(RPL_WHOISUSER, u.nick(), u.user(), u.host(), "*", u.realname());
        List<String> channels = new ArrayList<>();
        for (World.Channel ch : u.channels()) {
            channels.add(ch.name());
        }
        if (!channels.isEmpty()) {
            for (String line : s.replies.numericList(s.target(), RPL_WHOISCHANNELS, List.of(u.nick()), channels)) {
                s.send(line);
            }
        }
        s.numeric(RPL_WHOISSERVER, u.nick(), s.config.serverName(), s.config.network());
        if (u.away() != null) {
            s.numeric(RPL_AWAY, u.nick(), u.away());
        }
        s.numeric(RPL_ENDOFWHOIS, u.nick(), "End of /WHOIS list");
    }

    /** MODE nick [modes]: only one's own modes; {@code +i}/{@code -i} accepted, others 501. */
    void mode(IrcMessage m) {
        String nick = m.param(0);
        World.User u = s.world.userByNick(nick);
        if (u == null) {
            s.numeric(ERR_NOSUCHNICK, nick, "No such nick/channel");
            return;
        }
        if (!u.session().equals(s.id)) {
            s.numeric(ERR_USERSDONTMATCH, "Can't change mode for other users");
            return;
        }
        if (m.paramCount() < 2 || m.param(1).isEmpty()) {
            s.numericPlain(RPL_UMODEIS, s.invisible ? "+i" : "+");
            return;
        }
        boolean adding = true;
        boolean before = s.invisible;
        boolean unknown = false;
        for (char c : m.param(1).toCharArray()) {
            switch (c) {
                case '+' -> adding = true;
                case '-' -> adding = false;
                case 'i' -> s.invisible = adding;
                default -> unknown = true;
            }
        }
        if (unknown) {
            s.numeric(ERR_UMODEUNKNOWNFLAG, "Unknown MODE flag");
        }
        if (before != s.invisible) {
            s.send(":" + s.target() + " MODE " + s.target() + " :" + (s.invisible ? "+i" : "-i"));
        }
    }
}
