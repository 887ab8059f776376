package forkchat.daemon;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import forkchat.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admission limits as rules, without sockets. */
class AdmissionTest {

    private static Admission admission(String... settings) {
        return new Admission(Config.load(null, List.of(settings)));
    }

    private static Admission.Ticket admitted(Admission a, String address) {
        Admission.Decision d = a.admit(address + ":40000", false);
        assertNull(d.refusal());
        return d.ticket();
    }

    private static String refused(Admission a, String address) {
        Admission.Decision d = a.admit(address + ":40000", false);
        assertNull(d.ticket(), "expected a refusal");
        return d.refusal();
    }

    @Test
    void maxClientsCountsEveryAddressAndFreesASlotWhenATicketEnds() {
        Admission a = admission("max_clients=2");
        Admission.Ticket one = admitted(a, "10.0.0.1");
        admitted(a, "10.0.0.2");
        assertTrue(refused(a, "10.0.0.3").contains("max_clients"));
        one.ended();
        one.ended(); // a second end changes nothing
        admitted(a, "10.0.0.3");
        assertTrue(refused(a, "10.0.0.4").contains("max_clients"));
    }

    @Test
    void maxClientsPerAddressRefusesOneAddressButNotAnother() {
        Admission a = admission("max_clients_per_address=2");
        admitted(a, "10.0.0.1");
        admitted(a, "10.0.0.1");
        assertTrue(refused(a, "10.0.0.1").contains("max_clients_per_address"));
        admitted(a, "10.0.0.2");
    }

    @Test
    void maxRegisteringCountsOnlyConnectionsNotRegisteredYet() {
        Admission a = admission("max_registering=2");
        Admission.Ticket one = admitted(a, "10.0.0.1");
        admitted(a, "10.0.0.2");
        assertTrue(refused(a, "10.0.0.3").contains("max_registering"));
        one.registered();
        one.registered();
        admitted(a, "10.0.0.3");
        assertTrue(refused(a, "10.0.0.4").contains("max_registering"));
    }

    @Test
    void acceptRateAllowsABurstOfTwiceTheRatePerAddress() {
        Admission a = admission("accept_rate=2");
        for (int i = 0; i < 4; i++) {
            admitted(a, "10.0.0.1").ended();
        }
        assertTrue(refused(a, "10.0.0.1").contains("accept_rate"));
        admitted(a, "10.0.0.2");
    }

    @Test
    void anAddressThatFailsTooManyLoginsIsRefusedForAWhile() {
        Admission a = admission("auth_failures_max=3", "auth_ban=1h");
        for (int i = 0; i < 3; i++) {
            Admission.Ticket t = admitted(a, "10.0.0.9");
            t.authenticationFailed();
            t.ended();
        }
        assertTrue(refused(a, "10.0.0.9").contains("failed logins"));
        admitted(a, "10.0.0.10");
    }

    @Test
    void reloadedLimitsApplyToTheNextConnection() {
        Admission a = admission("max_clients_per_address=1");
        admitted(a, "10.0.0.1");
        assertNotNull(refused(a, "10.0.0.1"));
        a.reconfigure(Config.load(null, List.of("max_clients_per_address=5")));
        admitted(a, "10.0.0.1");
    }
}
