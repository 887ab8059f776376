package forkchat.client.irc;

import static forkchat.client.irc.Incoming.arg;
import static forkchat.client.irc.Incoming.clean;
import static forkchat.client.irc.Incoming.last;
import static forkchat.client.irc.Incoming.nickOf;

import forkchat.chat.IrcMessage;
import forkchat.chat.Names;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's numeric replies: the welcome (which sets the connection going again: away,
 * rejoin), ISUPPORT, NAMES (kept as the roster, shown on a join and when asked), WHO, WHOIS,
 * topics, away, and errors, which are counted for scripts and make a channel that cannot be
 * joined drop out of the channels to rejoin. Welcome text, MOTD and server statistics are
 * shown on the first connection only, not on every reconnect. Runs under the session's monitor.
 */
final class ServerReplies {

    private final Session s;
    private final Incoming in;

    ServerReplies(Session session, Incoming incoming) {
        this.s = session;
        this.in = incoming;
    }

    void handle(IrcMessage m) {
        String code = m.command();
        Instant at = in.time(m);
        List<String> args = m.paramCount() > 1 ? m.params().subList(1, m.paramCount()) : List.of();
        switch (code) {
            case "001" -> welcome(m, at);
            case "002", "003", "251", "252", "253", "254", "255", "265", "266", "250", "375", "372", "376" -> {
                if (!s.reconnected) {
                    in.info(m, clean(joinArgs(args)));
                }
            }
            case "004", "221", "315", "318", "329", "369", "422" -> {
                // noise
            }
            case "005" -> s.roster.use(s.roster.isupport().with(args.subList(0, Math.max(0, args.size() - 1))));
            case "301" -> in.info(m, arg(args, 0) + " is away: " + clean(last(m)));
            case "305", "306" -> in.info(m, clean(last(m)));
            case "311" -> in.info(m, arg(args, 0) + " is " + arg(args, 1) + "@" + arg(args, 2) + " (" + clean(last(m)) + ")");
            case "312" -> in.info(m, arg(args, 0) + " is on " + arg(args, 1) + " (" + clean(last(m)) + ")");
            case "317" -> in.info(m, arg(args, 0) + " has been idle for " + idle(arg(args, 1)));
            case "319" -> in.info(m, arg(args, 0) + " is in " + clean(last(m)));
            case "324" -> in.info(m, arg(args, 0) + " modes: " + String.join(" ", args.subList(1, args.size())));
            case "331" -> in.info(m, "no topic is set in " + arg(args, 0));
            case "332" -> s.show(Line.event(at, Line.Kind.TOPIC, arg(args, 0), null, clean(last(m)), null, false));
            case "333" -> in.info(m, "topic of " + arg(args, 0) + " set by " + nickOf(arg(args, 1)));
            case "352" -> in.info(m, arg(args, 4) + " (" + arg(args, 1) + "@" + arg(args, 2) + ") in " + arg(args, 0)
                    + ": " + clean(stripHops(last(m))) + (arg(args, 5).contains("G") ? " [away]" : ""));
            case "353" -> namesPart(args);
            case "366" -> namesEnd(arg(args, 0));
            case "433" -> in.error(m, "nick " + arg(args, 0) + " is already in use");
            default -> {
                if (code.charAt(0) == '4' || code.charAt(0) == '5') {
                    numericError(m, args);
                } else {
                    in.info(m, clean(joinArgs(args)));
                }
            }
        }
    }

    private void welcome(IrcMessage m, Instant at) {
        String text = last(m);
        int bang = text.lastIndexOf(' ');
        String lastWord = bang < 0 ? text : text.substring(bang + 1);
        if (lastWord.indexOf('!') > 0 && lastWord.indexOf('@') > 0) {
            s.mask = lastWord;
        }
        if (s.everRegistered) {
            s.reconnected = true;
            s.show(Line.info(at, "connected again as " + s.nick()));
        } else {
            s.show(Line.info(at, clean(text)));
        }
        s.everRegistered = true;
        if (s.away != null) {
            s.send("AWAY :" + s.fit("AWAY :", s.away));
        }
        if (!s.wanted.isEmpty()) {
            List<String> channels = new ArrayList<>(s.wanted.values());
            StringBuilder batch = new StringBuilder();
            for (String c : channels) {
                if (batch.length() + c.length() + 6 > 400) {
                    s.send("JOIN " + batch);
                    batch.setLength(0);
                }
                batch.append(batch.length() == 0 ? "" : ",").append(c);
            }
            s.send("JOIN " + batch);
        }
    }

    private void namesPart(List<String> args) {
        if (args.size() < 2) {
            return;
        }
        String channel = args.get(args.size() - 2);
        s.namesReply.computeIfAbsent(in.fold(channel), k -> new ArrayList<>())
                .addAll(List.of(last(args).trim().split(" +")));
    }

    private void namesEnd(String channel) {
        String key = in.fold(channel);
        List<String> entries = s.namesReply.remove(key);
        if (entries == null) {
            entries = List.of();
        }
        entries = entries.stream().filter(e -> !e.isEmpty()).toList();
        if (s.roster.isJoined(channel)) {
            s.roster.members(channel, entries.stream().map(s.roster.isupport()::stripPrefixes).toList());
        }
        if (s.namesWanted.remove(key)) {
            String who = entries.isEmpty() ? "nobody" : String.join(" ", entries);
            s.show(Line.info(s.now(), channel + ": " + entries.size() + (entries.size() == 1 ? " person: " : " people: ")
                    + clean(who)));
        }
    }

    private void numericError(IrcMessage m, List<String> args) {
        s.errors++;
        String text = clean(joinError(args));
        s.lastError = text;
        String code = m.command();
        // A channel the server will not let us into is not retried after a reconnect.
        if (List.of("403", "405", "471", "473", "474", "475", "476", "477", "479").contains(code) && !args.isEmpty()) {
            s.wanted.remove(Names.fold(args.get(0)));
            s.switchOnJoin.remove(in.fold(args.get(0)));
        }
        s.show(Line.error(in.time(m), text));
    }

    static boolean isNumeric(String command) {
        return command.length() == 3 && Character.isDigit(command.charAt(0)) && Character.isDigit(command.charAt(1))
                && Character.isDigit(command.charAt(2));
    }

    /** Reply parameters as text, the trailing one included ("3 :users online" → "3 users online"). */
    private static String joinArgs(List<String> args) {
        return String.join(" ", args);
    }

    /** An error reply as text: "#chan: Cannot send to channel". */
    private static String joinError(List<String> args) {
        if (args.size() <= 1) {
            return last(args);
        }
        return String.join(" ", args.subList(0, args.size() - 1)) + ": " + last(args);
    }

    /** WHO's trailing parameter is "hopcount realname". */
    private static String stripHops(String text) {
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(space + 1);
    }

    private static String idle(String seconds) {
        try {
            long sec = Long.parseLong(seconds);
            return sec < 120 ? sec + " s" : sec < 7200 ? sec / 60 + " min" : sec / 3600 + " h";
        } catch (NumberFormatException e) {
            return seconds;
        }
    }
}
