package forkchat.chat;

import java.util.List;

import static forkchat.chat.Numerics.*;

/**
 * PRIVMSG and NOTICE: check each target against the world, append one Message per target.
 * Nothing is sent to the sender here: the recipients (and the sender, with echo-message) get the
 * message when its entry is delivered. NOTICE never gets an error reply (RFC 2812 3.3.2), nor
 * RPL_AWAY. The text is cut at a UTF-8 boundary so that the relayed
 * {@code :source PRIVMSG target :text} line fits 510 bytes. In the accounts mode a message to an
 * account that is not online is kept in the log for {@link OfflineDelivery} (a PRIVMSG sender is
 * told so with 301) instead of getting 401.
 */
final class MessageCommands {

    /** Most targets in one PRIVMSG/NOTICE (MAXTARGETS, TARGMAX). */
    static final int MAX_TARGETS = 4;

    private final SessionContext s;

    MessageCommands(SessionContext s) {
        this.s = s;
    }

    void privmsg(IrcMessage m) {
        send(m, false);
    }

    void notice(IrcMessage m) {
        send(m, true);
    }

    private void send(IrcMessage m, boolean notice) {
        String command = notice ? "NOTICE" : "PRIVMSG";
        if (m.paramCount() == 0 || m.param(0).isEmpty()) {
            if (!notice) {
                s.numeric(ERR_NORECIPIENT, "No recipient given (" + command + ")");
            }
            return;
        }
        if (m.paramCount() < 2 || m.param(1).isEmpty()) {
            if (!notice) {
                s.numeric(ERR_NOTEXTTOSEND, "No text to send");
            }
            return;
        }
        String text = m.param(1);
        List<String> targets = ChannelCommands.splitTargets(m.param(0));
        String source = s.mask();
        for (int i = 0; i < targets.size(); i++) {
            String target = targets.get(i);
            if (i >= MAX_TARGETS) {
                if (!notice) {
                    s.numeric(ERR_TOOMANYTARGETS, target, "Too many recipients");
                }
                continue;
            }
            String resolved;
            if (Names.isChannel(target)) {
                World.Channel ch = s.world.channel(target);
                if (ch == null) {
                    if (!notice) {
                        s.numeric(ERR_NOSUCHCHANNEL, target, "No such channel");
                    }
                    continue;
                }
                if (!ch.hasMember(s.id)) {
                    if (!notice) {
                        s.numeric(ERR_CANNOTSENDTOCHAN, ch.name(), "Cannot send to channel");
                    }
                    continue;
                }
                resolved = ch.name();
            } else {
                World.User to = s.world.userByNick(target);
                if (to == null && OfflineDelivery.keepsFor(s, target)) {
                    resolved = target;
                    if (!notice) {
                        s.numeric(RPL_AWAY, target, "Not connected: the message will be delivered when "
                                + target + " connects");
                    }
                } else if (to == null) {
                    if (!notice) {
                        s.numeric(ERR_NOSUCHNICK, target, "No such nick/channel");
                    }
                    continue;
                } else {
                    resolved = to.nick();
                    if (!notice && to.away() != null) {
                        s.numeric(RPL_AWAY, to.nick(), to.away());
                    }
                }
            }
            String fitted = Replies.fit(":" + source + " " + command + " " + resolved + " :", text);
            if (!s.append(command, new Event.Message(s.id, source, notice, resolved, fitted))) {
                return;
            }
        }
    }
}
