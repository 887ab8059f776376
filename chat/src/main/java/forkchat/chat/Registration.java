package forkchat.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static forkchat.chat.Numerics.*;

/**
 * Registration and the commands that may come before it: NICK (also the nick change after it),
 * USER, PASS and CAP, and the welcome burst once the session's own Connect comes back from the
 * log.
 *
 * <p>A session is registered when its Connect entry is delivered back to it, not when the append
 * returns: every worker then agrees on the order of claims. The claim itself is an
 * {@link Journal#appendIf} that checks the nick is free in the world as of the end of the log.
 *
 * <p>In the {@link AuthMode#OPEN} mode PASS is accepted and ignored. In the
 * {@link AuthMode#ACCOUNTS} mode {@link Login} decides whether the claim may be made at all
 * (PASS is checked against the nick then), a nick is only ever the account's own name (case
 * variants allowed, before and after registration; anything else gets 432), and once the
 * welcome is sent {@link OfflineDelivery} hands the account what it missed.
 */
final class Registration {

    private final SessionContext s;
    private final Login login;
    private final OfflineDelivery offline;

    Registration(SessionContext s, Login login, OfflineDelivery offline) {
        this.s = s;
        this.login = login;
        this.offline = offline;
    }

    void nick(IrcMessage m) {
        String wanted = m.param(0);
        if (wanted == null || wanted.isEmpty()) {
            s.numeric(ERR_NONICKNAMEGIVEN, "No nickname given");
            return;
        }
        if (!Names.isValidNick(wanted)) {
            s.numeric(ERR_ERRONEUSNICKNAME, wanted, "Erroneous nickname");
            return;
        }
        if (!login.allowsNick(wanted)) {
            s.numeric(ERR_ERRONEUSNICKNAME, wanted, login.accountNickText());
            return;
        }
        if (s.registered) {
            changeNick(wanted);
            return;
        }
        if (s.world.nickInUse(wanted)) {
            s.numeric(ERR_NICKNAMEINUSE, wanted, "Nickname is already in use");
            return;
        }
        s.nick = wanted;
        tryRegister();
    }

    private void changeNick(String wanted) {
        String current = s.world.nickOf(s.id);
        if (current == null || current.equals(wanted)) {
            return;
        }
        Boolean appended = s.appendIf("NICK", () -> {
            World.User holder = s.world.userByNick(wanted);
            String old = s.world.nickOf(s.id);
            if (old == null || (holder != null && !holder.session().equals(s.id))) {
                return null;
            }
            return new Event.NickChange(s.id, old, wanted);
        });
        if (Boolean.FALSE.equals(appended)) {
            s.numeric(ERR_NICKNAMEINUSE, wanted, "Nickname is already in use");
        }
    }

    void user(IrcMessage m) {
        if (s.registered || s.connectPending) {
            s.numeric(ERR_ALREADYREGISTERED, "You may not reregister");
            return;
        }
        if (m.paramCount() < 4 || m.param(0).isEmpty()) {
            s.numeric(ERR_NEEDMOREPARAMS, "USER", "Not enough parameters");
            return;
        }
        String user = Names.cleanUser(m.param(0));
        s.user = user.isEmpty() ? "user" : user;
        s.realname = Utf8.truncate(m.param(3), 200);
        tryRegister();
    }

    void pass(IrcMessage m) {
        if (s.registered || s.connectPending) {
            s.numeric(ERR_ALREADYREGISTERED, "You may not reregister");
        } else if (m.paramCount() < 1) {
            s.numeric(ERR_NEEDMOREPARAMS, "PASS", "Not enough parameters");
        } else if (s.accountsMode() && s.account == null) {
            login.pass(m.param(0));
        }
        // open auth mode: any password, or none, is accepted; after SASL, PASS changes nothing
    }

    void cap(IrcMessage m) {
        String sub = m.param(0).toUpperCase(Locale.ROOT);
        String target = s.target();
        switch (sub) {
            case "LS" -> {
                String offer = s.caps.ls(m.param(1), s.registered);
                s.send(s.replies.fromServer("CAP", target, "LS", offer));
            }
            case "LIST" -> s.send(s.replies.fromServer("CAP", target, "LIST", String.join(" ", s.caps.enabled())));
            case "REQ" -> {
                String list = m.param(1) == null ? "" : m.param(1);
                boolean ack = s.caps.request(list, s.registered);
                s.send(s.replies.fromServer("CAP", target, ack ? "ACK" : "NAK", list.trim()));
            }
            case "END" -> {
                if (!s.registered) {
                    s.caps.end();
                    tryRegister();
                }
            }
            default -> s.numeric(ERR_INVALIDCAPCMD, m.param(0), "Invalid CAP command");
        }
    }

    /** Claims the nick once NICK and USER are known and no CAP negotiation is open. */
    void tryRegister() {
        if (s.registered || s.connectPending || s.closed || s.nick == null || s.user == null
                || s.caps.negotiating()) {
            return;
        }
        if (!login.admits(this::tryRegister)) {
            return;
        }
        String nick = s.nick;
        String user = s.user;
        String realname = s.realname;
        // connectPending is set before the catch-up inside appendIf can deliver the Connect.
        s.connectPending = true;
        Boolean appended = s.appendIf("NICK", () -> s.world.nickInUse(nick) ? null
                : new Event.Connect(s.id, nick, user, s.host, realname));
        if (!Boolean.TRUE.equals(appended)) {
            s.connectPending = false;
            if (Boolean.FALSE.equals(appended)) {
                s.numeric(ERR_NICKNAMEINUSE, nick, "Nickname is already in use");
                s.nick = null;
            }
        }
    }

    /** Our own Connect came back from the log (already folded into the world). */
    void onOwnConnect(Entry entry, Event.Connect c) {
        if (s.registered) {
            return;
        }
        s.connectPending = false;
        String nick = s.world.nickOf(s.id);
        if (nick == null) {
            // The fold refused the claim (should not happen: appendIf checked under the lock).
            s.numeric(ERR_NICKNAMEINUSE, c.nick(), "Nickname is already in use");
            s.nick = null;
            return;
        }
        s.nick = nick;
        s.registered = true;
        welcome();
        s.tell(o -> o.registered(nick));
        if (s.accountsMode() && s.account != null) {
            String account = s.account;
            s.outsideAppendIf(() -> offline.deliver(account, entry.offset()));
        }
    }

    /** Our own NickChange came back from the log (already folded into the world). */
    void onOwnNickChange(String newNick) {
        s.nick = newNick;
        s.tell(o -> o.nickChanged(newNick));
    }

    private void welcome() {
        ChatConfig c = s.config;
        String network = token(c.network());
        s.numeric(RPL_WELCOME, "Welcome to the " + c.network() + " IRC Network " + s.mask());
        s.numeric(RPL_YOURHOST, "Your host is " + c.serverName() + ", running version " + c.version());
        s.numeric(RPL_CREATED, "This server was created " + c.createdAt());
        s.numericPlain(RPL_MYINFO, c.serverName(), token(c.version()), "i", "n");
        List<String> tokens = List.of(
                "CASEMAPPING=ascii", "CHANTYPES=#", "CHANMODES=,,,n", "PREFIX=()",
                "NICKLEN=" + Names.NICK_MAX, "CHANNELLEN=" + Names.CHANNEL_MAX,
                "TOPICLEN=" + ChannelCommands.TOPIC_MAX, "AWAYLEN=" + UserCommands.AWAY_MAX,
                "USERLEN=" + Names.USER_MAX, "NETWORK=" + network,
                "CHANLIMIT=#:" + c.maxChannelsPerClient(), "MAXTARGETS=" + MessageCommands.MAX_TARGETS,
                "TARGMAX=PRIVMSG:" + MessageCommands.MAX_TARGETS + ",NOTICE:" + MessageCommands.MAX_TARGETS
                        + ",JOIN:,PART:,NAMES:,LIST:,WHOIS:1");
        for (int i = 0; i < tokens.size(); i += 12) {
            List<String> params = new ArrayList<>(tokens.subList(i, Math.min(tokens.size(), i + 12)));
            params.add("are supported by this server");
            s.numeric(RPL_ISUPPORT, params.toArray(String[]::new));
        }
        motd();
    }

    void motd() {
        List<String> lines = s.config.motd();
        if (lines == null || lines.isEmpty()) {
            s.numeric(ERR_NOMOTD, "MOTD File is missing");
            return;
        }
        s.numeric(RPL_MOTDSTART, "- " + s.config.serverName() + " Message of the day - ");
        for (String line : lines) {
            s.numeric(RPL_MOTD, Replies.fit(":" + s.config.serverName() + " 372 " + s.target() + " :", "- " + line));
        }
        s.numeric(RPL_ENDOFMOTD, "End of /MOTD command.");
    }

    /** A configuration value made into one parameter token (no spaces). */
    private static String token(String value) {
        String t = value == null ? "" : value.trim().replace(' ', '-');
        return t.isEmpty() ? "-" : t;
    }
}
