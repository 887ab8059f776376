package forkchat.client.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.client.irc.Line;
import forkchat.client.irc.Line.Kind;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

class LineRendererTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final Instant T = Instant.parse("2024-05-01T10:05:00Z"); // 12:05 in Berlin
    private final LineRenderer plain = new LineRenderer(false, ZONE, () -> LocalDate.of(2024, 5, 1));
    private final LineRenderer color = new LineRenderer(true, ZONE, () -> LocalDate.of(2024, 5, 1));

    private static Line msg(String nick, String context, String text, boolean own, boolean direct) {
        return new Line(T, Kind.MESSAGE, context, nick, text, null, own, direct, false, false);
    }

    private String show(Line line, String target) {
        return plain.render(line, target).toString();
    }

    @Test
    void everyKindHasItsOwnShape() {
        assertEquals("12:05 <alice> hi", show(msg("alice", "#lobby", "hi", false, false), "#lobby"));
        assertEquals("12:05 #dev <alice> hi", show(msg("alice", "#dev", "hi", false, false), "#lobby"));
        assertEquals("12:05 *alice* psst", show(msg("alice", "alice", "psst", false, true), "#lobby"));
        assertEquals("12:05 -> *alice* psst", show(msg("carol", "alice", "psst", true, true), "#lobby"));
        assertEquals("12:05 <alice> psst", show(msg("alice", "alice", "psst", false, true), "alice"));
        assertEquals("12:05 * alice waves",
                show(new Line(T, Kind.ACTION, "#lobby", "alice", "waves", null, false, false, false, false), "#lobby"));
        assertEquals("12:05 -alice- note",
                show(new Line(T, Kind.NOTICE, "#lobby", "alice", "note", null, false, false, false, false), "#lobby"));
        assertEquals("12:05 -irc.example- hello",
                show(new Line(T, Kind.NOTICE, null, "irc.example", "hello", null, false, false, false, false), "#lobby"));
        assertEquals("12:05 --> alice (a@host) joined #lobby",
                show(Line.event(T, Kind.JOIN, "#lobby", "alice", null, "a@host", false), "#lobby"));
        assertEquals("12:05 --> you joined #lobby", show(Line.event(T, Kind.JOIN, "#lobby", "carol", null, null, true), null));
        assertEquals("12:05 <-- alice left #lobby (bye)",
                show(Line.event(T, Kind.PART, "#lobby", "alice", "bye", null, false), "#lobby"));
        assertEquals("12:05 <-- alice quit (Quit: zzz)",
                show(Line.event(T, Kind.QUIT, null, "alice", "Quit: zzz", null, false), "#lobby"));
        assertEquals("12:05 <-- alice was kicked from #lobby by bob (spam)",
                show(Line.event(T, Kind.KICK, "#lobby", "alice", "spam", "bob", false), "#lobby"));
        assertEquals("12:05 --- alice is now known as alicia",
                show(Line.event(T, Kind.NICK, null, "alice", null, "alicia", false), "#lobby"));
        assertEquals("12:05 --- you are now known as carol_",
                show(Line.event(T, Kind.NICK, null, "carol", null, "carol_", true), "#lobby"));
        assertEquals("12:05 --- bob set the topic of #lobby: news",
                show(Line.event(T, Kind.TOPIC, "#lobby", "bob", "news", null, false), "#lobby"));
        assertEquals("12:05 --- topic of #lobby: news",
                show(Line.event(T, Kind.TOPIC, "#lobby", null, "news", null, false), "#lobby"));
        assertEquals("12:05 *** info", show(Line.info(T, "info"), null));
        assertEquals("12:05 !!! broken", show(Line.error(T, "broken"), null));
    }

    @Test
    void historyIsMarkedAndCarriesItsDateWhenNotFromToday() {
        Line today = msg("alice", "#lobby", "earlier", false, false).asHistory();
        assertEquals("12:05 [history] <alice> earlier", show(today, "#lobby"));
        Line old = new Line(Instant.parse("2024-04-29T08:00:00Z"), Kind.MESSAGE, "#lobby", "alice", "old", null,
                false, false, true, false);
        assertEquals("2024-04-29 10:00 [history] <alice> old", show(old, "#lobby"));
    }

    @Test
    void timeIsLocal() {
        LineRenderer utc = new LineRenderer(false, ZoneOffset.UTC, () -> LocalDate.of(2024, 5, 1));
        assertTrue(utc.render(Line.info(T, "x"), null).toString().startsWith("10:05 "));
    }

    @Test
    void withoutColourThereIsNoStyleAtAll() {
        AttributedString s = plain.render(msg("alice", "#lobby", "hi", false, false), "#lobby");
        for (int i = 0; i < s.length(); i++) {
            assertEquals(AttributedStyle.DEFAULT, s.styleAt(i));
        }
        assertFalse(s.toAnsi().contains("\u001b"));
    }

    @Test
    void withColourNicksHaveTheirColourAndTheOwnNickIsBold() {
        AttributedString s = color.render(msg("alice", "#lobby", "hi", false, false), "#lobby");
        int at = s.toString().indexOf("alice");
        assertTrue(s.toAnsi().contains("\u001b["), "styled");
        assertEquals(AttributedStyle.DEFAULT.foreground(NickColors.colorOf("alice")), s.styleAt(at));
        AttributedString own = color.render(msg("carol", "#lobby", "hi", true, false), "#lobby");
        AttributedString other = color.render(msg("carol", "#lobby", "hi", false, false), "#lobby");
        int ownAt = own.toString().indexOf("carol");
        assertNotEquals(own.styleAt(ownAt), other.styleAt(ownAt), "own nick looks different from the same nick by another");
        assertEquals(AttributedStyle.DEFAULT.bold(), own.styleAt(ownAt));
    }

    @Test
    void aMentionLooksDifferent() {
        Line normal = msg("alice", "#lobby", "hi carol", false, false);
        Line mention = new Line(T, Kind.MESSAGE, "#lobby", "alice", "hi carol", null, false, false, false, true);
        int at = "12:05 <".length();
        assertNotEquals(color.render(normal, "#lobby").styleAt(at), color.render(mention, "#lobby").styleAt(at));
    }

    @Test
    void nickColoursAreStableAndSpread() {
        assertEquals(NickColors.colorOf("alice"), NickColors.colorOf("alice"));
        assertEquals(NickColors.colorOf("Alice"), NickColors.colorOf("alice"), "case does not change the colour");
        assertEquals(11, NickColors.indexOf("alice"), "the same colour in every run and on every machine");
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (String n : new String[] {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"}) {
            used.add(NickColors.colorOf(n));
        }
        assertTrue(used.size() >= 6, "ten nicks use several colours: " + used);
    }
}
