package forkchat.client.irc;

import java.util.ArrayList;
import java.util.List;

/**
 * Interprets what the user types: plain text goes to the current target, {@code //text} sends
 * text that starts with a slash, {@code /command args} runs one of the {@link Command}s. Only
 * {@code /quote} sends a raw line: an unknown command is reported, never passed to the server,
 * so a typo cannot leak a half-typed password or a private line to a channel.
 */
public final class Commands {

    /** What the caller should do after a line. */
    public enum Outcome {
        /** Keep reading input. */
        CONTINUE,
        /** The user quit: the QUIT is sent; wait for the server to close, then exit. */
        QUIT,
        /** Drop the connection and connect again now. */
        RECONNECT
    }

    /** The reason sent with QUIT when the user gives none. */
    public static final String DEFAULT_QUIT = "Leaving";

    private final Session session;

    public Commands(Session session) {
        this.session = session;
    }

    /** Handles one input (pasted text may hold several lines: each is handled in turn). */
    public Outcome handle(String input) {
        Outcome outcome = Outcome.CONTINUE;
        for (String line : input.split("\r?\n|\r")) {
            Outcome o = handleLine(line);
            if (o != Outcome.CONTINUE) {
                outcome = o;
                if (o == Outcome.QUIT) {
                    break;
                }
            }
        }
        return outcome;
    }

    private Outcome handleLine(String line) {
        if (line.isBlank()) {
            return Outcome.CONTINUE;
        }
        if (!line.startsWith("/") || line.startsWith("//")) {
            sayToTarget(line.startsWith("//") ? line.substring(1) : line);
            return Outcome.CONTINUE;
        }
        int space = line.indexOf(' ');
        String word = space < 0 ? line.substring(1) : line.substring(1, space);
        String rest = space < 0 ? "" : line.substring(space + 1).strip();
        Command command = Command.of(word);
        if (command == null) {
            session.error("unknown command /" + word + " (/help lists them; /quote sends a raw line)");
            return Outcome.CONTINUE;
        }
        return run(command, rest);
    }

    private Outcome run(Command command, String rest) {
        List<String> args = words(rest);
        switch (command) {
            case JOIN -> {
                if (args.isEmpty()) {
                    return usage(command);
                }
                session.join(args.get(0), args.size() > 1 ? args.get(1) : null);
            }
            case PART -> {
                String channel = !args.isEmpty() && session.isChannel(args.get(0)) ? args.get(0) : currentChannel();
                if (channel == null) {
                    session.error("not in a channel: /part #channel");
                } else {
                    session.part(channel, !args.isEmpty() && session.isChannel(args.get(0)) ? after(rest, 1) : rest);
                }
            }
            case MSG -> {
                if (args.size() < 2) {
                    return usage(command);
                }
                session.say(args.get(0), after(rest, 1));
            }
            case ME -> {
                if (rest.isEmpty()) {
                    return usage(command);
                }
                String target = session.target();
                if (target == null) {
                    noTarget();
                } else {
                    session.act(target, rest);
                }
            }
            case NAMES -> {
                String channel = args.isEmpty() ? currentChannel() : args.get(0);
                if (channel == null) {
                    return usage(command);
                }
                session.names(channel);
            }
            case WHO -> {
                String mask = args.isEmpty() ? currentChannel() : args.get(0);
                if (mask == null) {
                    return usage(command);
                }
                session.who(mask);
            }
            case WHOIS -> {
                if (args.isEmpty()) {
                    return usage(command);
                }
                session.whois(args.get(0));
            }
            case TOPIC -> topic(args, rest);
            case NICK -> {
                if (args.size() != 1) {
                    return usage(command);
                }
                session.changeNick(args.get(0));
            }
            case AWAY -> session.setAway(rest);
            case QUERY -> {
                if (args.isEmpty()) {
                    String target = session.target();
                    if (target != null && !session.isChannel(target)) {
                        session.closeQuery(target);
                    } else {
                        return usage(command);
                    }
                } else if (session.isChannel(args.get(0))) {
                    session.error("/query is for people; for channels use /switch " + args.get(0));
                } else {
                    session.switchTo(args.get(0));
                    if (args.size() > 1) {
                        session.say(args.get(0), after(rest, 1));
                    }
                }
            }
            case SWITCH -> {
                if (args.isEmpty()) {
                    switchToNext();
                } else {
                    session.switchTo(args.get(0));
                }
            }
            case QUOTE -> {
                if (rest.isEmpty()) {
                    return usage(command);
                }
                session.quote(rest);
            }
            case RECONNECT -> {
                return Outcome.RECONNECT;
            }
            case HELP -> help(args);
            case QUIT -> {
                session.quit(rest.isEmpty() ? DEFAULT_QUIT : rest);
                return Outcome.QUIT;
            }
        }
        return Outcome.CONTINUE;
    }

    private void sayToTarget(String text) {
        String target = session.target();
        if (target == null) {
            noTarget();
        } else {
            session.say(target, text);
        }
    }

    private void topic(List<String> args, String rest) {
        if (!args.isEmpty() && session.isChannel(args.get(0))) {
            session.topic(args.get(0), args.size() > 1 ? after(rest, 1) : null);
            return;
        }
        String channel = currentChannel();
        if (channel == null) {
            usage(Command.TOPIC);
        } else {
            session.topic(channel, rest.isEmpty() ? null : rest);
        }
    }

    private void switchToNext() {
        List<String> all = new ArrayList<>(session.channels());
        all.addAll(session.queries());
        if (all.isEmpty()) {
            session.error("nothing to switch to: /join #channel or /query NICK");
            return;
        }
        String target = session.target();
        int at = -1;
        for (int i = 0; i < all.size(); i++) {
            if (session.same(all.get(i), target)) {
                at = i;
            }
        }
        session.switchTo(all.get((at + 1) % all.size()));
    }

    private void help(List<String> args) {
        if (!args.isEmpty()) {
            Command c = Command.of(args.get(0).startsWith("/") ? args.get(0).substring(1) : args.get(0));
            if (c == null) {
                session.error("no command " + args.get(0));
            } else {
                session.info(c.usage() + "  -  " + c.help());
            }
            return;
        }
        session.info("Plain text goes to the target the prompt shows; //text sends text starting with '/'.");
        for (Command c : Command.values()) {
            session.info(String.format("  %-32s %s", c.usage(), c.help()));
        }
        session.info("Tab completes commands, nicks and channels; Up/Down recall input; Ctrl-D quits.");
    }

    private Outcome usage(Command command) {
        session.error("usage: " + command.usage());
        return Outcome.CONTINUE;
    }

    private void noTarget() {
        session.error("no target: /join #channel or /query NICK first");
    }

    private String currentChannel() {
        String target = session.target();
        return target != null && session.isChannel(target) ? target : null;
    }

    private static List<String> words(String rest) {
        List<String> out = new ArrayList<>();
        for (String w : rest.split(" +")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /** {@code rest} without its first {@code n} words (the text after "/msg alice"). */
    static String after(String rest, int n) {
        String s = rest.strip();
        for (int i = 0; i < n; i++) {
            int space = s.indexOf(' ');
            if (space < 0) {
                return "";
            }
            s = s.substring(space + 1).stripLeading();
        }
        return s;
    }
}
