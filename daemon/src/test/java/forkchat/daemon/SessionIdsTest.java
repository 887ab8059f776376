package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SessionIdsTest {

    @Test
    void idsCountUpWithinARunAndDifferBetweenRuns() {
        SessionIds run = new SessionIds(0);
        assertEquals("c1.0", run.next());
        assertEquals("c2.0", run.next());
        SessionIds next = new SessionIds(123_456);
        String first = next.next();
        assertEquals("c1.2n9c", first);
        assertNotEquals("c1.0", first, "the first session of the next run is another one");
    }
}
