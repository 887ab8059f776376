package forkchat.client.tui;

import forkchat.client.irc.Line;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * How a {@link Line} looks in the terminal: local time, then the line in a shape of its own so
 * that each kind reads apart even without colour: {@code <nick> text} for messages,
 * {@code * nick waves} for actions, {@code -nick- text} for notices, {@code -->} and {@code <--}
 * for arrivals and departures, {@code ---} for changes, {@code ***} for information and
 * {@code !!!} for errors; private messages are {@code *nick* text}. A line of another
 * conversation than the current target carries its channel; replayed history carries
 * {@code [history]} (and its date when it is not from today). With colour, nicks have their
 * {@link NickColors stable colour}, the user's own nick is bold and uncoloured, a line that
 * mentions the user is reversed; without colour the text is the same, only unstyled.
 */
public final class LineRenderer {

    static final String HISTORY = "[history]";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private static final AttributedStyle PLAIN = AttributedStyle.DEFAULT;
    private static final AttributedStyle FAINT = AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT + AttributedStyle.BLACK);
    private static final AttributedStyle OWN = AttributedStyle.DEFAULT.bold();
    private static final AttributedStyle ARRIVE = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
    private static final AttributedStyle LEAVE = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
    private static final AttributedStyle CHANGE = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
    private static final AttributedStyle ERROR = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED).bold();
    private static final AttributedStyle ACTION = AttributedStyle.DEFAULT.foreground(AttributedStyle.MAGENTA).bold();
    private static final AttributedStyle LABEL = AttributedStyle.DEFAULT.bold();
    private static final AttributedStyle MENTION = AttributedStyle.DEFAULT.inverse().bold();

    private final boolean color;
    private final ZoneId zone;
    private final Supplier<LocalDate> today;

    /**
     * @param color whether to style the output (terminal, and no NO_COLOR)
     * @param zone  the user's time zone
     * @param today the current date in that zone (history from another day shows its date)
     */
    public LineRenderer(boolean color, ZoneId zone, Supplier<LocalDate> today) {
        this.color = color;
        this.zone = zone;
        this.today = today;
    }

    /** The line as shown when {@code target} is the current target. */
    public AttributedString render(Line line, String target) {
        AttributedStringBuilder sb = new AttributedStringBuilder();
        ZonedDateTime at = line.time().atZone(zone);
        boolean otherDay = !at.toLocalDate().equals(today.get());
        append(sb, (line.history() && otherDay ? DATE_TIME : TIME).format(at), FAINT);
        sb.append(' ');
        if (line.history()) {
            append(sb, HISTORY, FAINT);
            sb.append(' ');
        }
        boolean current = line.context() != null && line.context().equalsIgnoreCase(target == null ? "" : target);
        switch (line.kind()) {
            case MESSAGE -> message(sb, line, current);
            case ACTION -> {
                label(sb, line, current);
                append(sb, "* ", ACTION);
                nick(sb, line);
                sb.append(' ');
                text(sb, line);
            }
            case NOTICE -> {
                label(sb, line, current);
                if (line.own()) {
                    append(sb, "-> ", FAINT);
                }
                String who = line.own() && line.context() != null ? line.context() : line.nick();
                append(sb, "-", PLAIN);
                append(sb, who == null ? "server" : who, line.context() == null ? FAINT : nickStyle(who, false));
                append(sb, "- ", PLAIN);
                text(sb, line);
            }
            case JOIN -> {
                append(sb, "--> ", ARRIVE);
                if (line.own()) {
                    sb.append("you joined ");
                } else {
                    nick(sb, line);
                    if (line.detail() != null) {
                        append(sb, " (" + line.detail() + ")", FAINT);
                    }
                    sb.append(" joined ");
                }
                append(sb, line.context(), LABEL);
            }
            case PART -> {
                append(sb, "<-- ", LEAVE);
                who(sb, line, "you left ", " left ");
                append(sb, line.context(), LABEL);
                reason(sb, line.text());
            }
            case QUIT -> {
                append(sb, "<-- ", LEAVE);
                nick(sb, line);
                sb.append(" quit");
                reason(sb, line.text());
            }
            case KICK -> {
                append(sb, "<-- ", LEAVE);
                who(sb, line, "you were kicked from ", " was kicked from ");
                append(sb, line.context(), LABEL);
                sb.append(" by ");
                append(sb, line.detail(), nickStyle(line.detail(), false));
                reason(sb, line.text());
            }
            case NICK -> {
                append(sb, "--- ", CHANGE);
                if (line.own()) {
                    sb.append("you are now known as ");
                    append(sb, line.detail(), OWN);
                } else {
                    nick(sb, line);
                    sb.append(" is now known as ");
                    append(sb, line.detail(), nickStyle(line.detail(), false));
                }
            }
            case TOPIC -> {
                append(sb, "--- ", CHANGE);
                if (line.nick() == null) {
                    sb.append("topic of ");
                    append(sb, line.context(), LABEL);
                    sb.append(": ");
                } else {
                    who(sb, line, "you set the topic of ", " set the topic of ");
                    append(sb, line.context(), LABEL);
                    sb.append(": ");
                }
                text(sb, line);
            }
            case MODE -> {
                append(sb, "--- ", CHANGE);
                who(sb, line, "you set mode ", " sets mode ");
                sb.append(line.text()).append(" on ");
                append(sb, line.context(), LABEL);
            }
            case INFO -> {
                append(sb, "*** ", FAINT);
                sb.append(line.text());
            }
            case ERROR -> {
                append(sb, "!!! ", ERROR);
                append(sb, line.text(), color ? AttributedStyle.DEFAULT.foreground(AttributedStyle.RED) : PLAIN);
            }
        }
        return sb.toAttributedString();
    }

    private void message(AttributedStringBuilder sb, Line line, boolean current) {
        if (line.direct() && !current) {
            if (line.own()) {
                append(sb, "-> ", FAINT);
                append(sb, "*" + line.context() + "*", nickStyle(line.context(), false));
            } else {
                append(sb, "*" + line.nick() + "*", line.highlight() ? MENTION : nickStyle(line.nick(), false).bold());
            }
            sb.append(' ');
            text(sb, line);
            return;
        }
        label(sb, line, current);
        append(sb, "<", PLAIN);
        nick(sb, line);
        append(sb, "> ", PLAIN);
        text(sb, line);
    }

    /** The conversation's name, when the line is not from the current target. */
    private void label(AttributedStringBuilder sb, Line line, boolean current) {
        if (line.context() == null || current) {
            return;
        }
        append(sb, line.direct() ? "[" + line.context() + "]" : line.context(), LABEL);
        sb.append(' ');
    }

    private void who(AttributedStringBuilder sb, Line line, String ownText, String otherText) {
        if (line.own()) {
            sb.append(ownText);
        } else {
            nick(sb, line);
            sb.append(otherText);
        }
    }

    private void nick(AttributedStringBuilder sb, Line line) {
        String nick = line.nick() == null ? "?" : line.nick();
        append(sb, nick, line.highlight() ? MENTION : nickStyle(nick, line.own()));
    }

    private static AttributedStyle nickStyle(String nick, boolean own) {
        return own || nick == null ? OWN : AttributedStyle.DEFAULT.foreground(NickColors.colorOf(nick));
    }

    private void text(AttributedStringBuilder sb, Line line) {
        append(sb, line.text(), line.highlight() ? AttributedStyle.DEFAULT.bold() : PLAIN);
    }

    private static void reason(AttributedStringBuilder sb, String reason) {
        if (reason != null && !reason.isEmpty()) {
            sb.append(" (").append(reason).append(')');
        }
    }

    private void append(AttributedStringBuilder sb, String text, AttributedStyle style) {
        sb.styled(color ? style : PLAIN, text == null ? "" : text);
    }
}
