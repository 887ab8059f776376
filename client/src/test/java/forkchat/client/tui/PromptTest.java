package forkchat.client.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import forkchat.client.irc.Screen.Status;
import org.junit.jupiter.api.Test;

class PromptTest {

    @Test
    void showsNickStateAndTarget() {
        assertEquals("[carol] #lobby> ", Prompt.of(new Status("carol", "#lobby", true, false)));
        assertEquals("[carol, away] alice> ", Prompt.of(new Status("carol", "alice", true, true)));
        assertEquals("[carol, offline] #lobby> ", Prompt.of(new Status("carol", "#lobby", false, false)));
        assertEquals("[carol]> ", Prompt.of(new Status("carol", null, true, false)));
    }
}
