package forkchat.client.tui;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalsTest {

    @Test
    void colourOnlyOnATerminalWithoutNoColor() {
        assertTrue(Terminals.colorWanted(Map.of("TERM", "xterm-256color"), true));
        assertFalse(Terminals.colorWanted(Map.of("TERM", "xterm-256color"), false), "not a terminal");
        assertFalse(Terminals.colorWanted(Map.of("TERM", "xterm", "NO_COLOR", "1"), true), "NO_COLOR");
        assertTrue(Terminals.colorWanted(Map.of("TERM", "xterm", "NO_COLOR", ""), true), "an empty NO_COLOR does not count");
        assertFalse(Terminals.colorWanted(Map.of("TERM", "dumb"), true));
    }

    @Test
    void testsDoNotRunOnATerminal() {
        assertFalse(Terminals.isTerminal(), "surefire's streams are pipes");
    }
}
