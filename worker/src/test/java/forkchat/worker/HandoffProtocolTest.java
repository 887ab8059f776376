package forkchat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import forkchat.worker.HandoffProtocol.ClientOrder;
import org.junit.jupiter.api.Test;

/** The CLIENT order as the supervisor writes it and a worker reads it. */
class HandoffProtocolTest {

    @Test
    void aClientOrderReadsBackAsItWasWritten() {
        ClientOrder plain = new ClientOrder("s1.4", "::1", "50000", false);
        ClientOrder tls = new ClientOrder("s1.5", "192.0.2.7", "41000", true);
        assertEquals("CLIENT s1.4 ::1 50000 plain", plain.line());
        assertEquals("CLIENT s1.5 192.0.2.7 41000 tls", tls.line());
        assertEquals(plain, ClientOrder.parse(plain.line()));
        assertEquals(tls, ClientOrder.parse(tls.line()));
        assertEquals(plain, ClientOrder.parse("CLIENT s1.4 ::1 50000"), "without its last word: plain");
    }

    @Test
    void otherLinesAreNoOrderAndAShortOrderIsRefused() {
        assertNull(ClientOrder.parse("STOP Server shutting down"));
        assertNull(ClientOrder.parse("CLIENTS a b c"));
        assertThrows(IllegalArgumentException.class, () -> ClientOrder.parse("CLIENT s1.4 ::1"));
        assertThrows(IllegalArgumentException.class, () -> ClientOrder.parse("CLIENT"));
    }
}
