package forkchat.chat;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class NamesTest {

    @Test
    void foldLowersOnlyAsciiLetters() {
        assertEquals("alice[]\\~", Names.fold("ALICE[]\\~"));
        assertEquals("#chan", Names.fold("#Chan"));
        assertEquals("ÄÖ", Names.fold("ÄÖ"), "ascii casemapping leaves non-ASCII alone");
        String already = "lower";
        assertSame(already, Names.fold(already), "no copy when nothing folds");
    }

    @Test
    void sameComparesFolded() {
        assertTrue(Names.same("Bob", "bOB"));
        assertFalse(Names.same("Bob", "Bobby"));
        assertFalse(Names.same(null, "x"));
    }

    @Test
    void validNicksFollowTheRules() {
        assertTrue(Names.isValidNick("a"));
        assertTrue(Names.isValidNick("[Guest]_42-x"));
        assertTrue(Names.isValidNick("`^{|}\\"));
        assertTrue(Names.isValidNick("a".repeat(30)));
        assertFalse(Names.isValidNick("a".repeat(31)));
        assertFalse(Names.isValidNick(""));
        assertFalse(Names.isValidNick(null));
        assertFalse(Names.isValidNick("1abc"), "digit first");
        assertFalse(Names.isValidNick("-abc"), "dash first");
        assertFalse(Names.isValidNick("a b"));
        assertFalse(Names.isValidNick("a!b"));
        assertFalse(Names.isValidNick("#chan"));
        assertFalse(Names.isValidNick("nöl"));
    }

    @Test
    void validChannelsFollowTheRules() {
        assertTrue(Names.isValidChannel("#a"));
        assertTrue(Names.isValidChannel("#chat-é"));
        assertTrue(Names.isValidChannel("#" + "x".repeat(49)));
        assertFalse(Names.isValidChannel("#" + "x".repeat(50)));
        assertFalse(Names.isValidChannel("#"));
        assertFalse(Names.isValidChannel("chan"));
        assertFalse(Names.isValidChannel("&chan"));
        for (String bad : new String[]{" ", ",", "\u0007", "\0", "\r", "\n", ":"}) {
            assertFalse(Names.isValidChannel("#a" + bad + "b"), "with " + (int) bad.charAt(0));
        }
    }

    @Test
    void cleanUserDropsMaskBreakingCharactersAndCuts() {
        assertEquals("bob", Names.cleanUser("bob"));
        assertEquals("bobx", Names.cleanUser("b o!b@x"));
        assertEquals("abcdefghij", Names.cleanUser("abcdefghijklmnop"));
        assertEquals("", Names.cleanUser("@@@"));
    }
}
