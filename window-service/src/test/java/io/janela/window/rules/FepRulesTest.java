package io.janela.window.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.InboundMessageType;
import io.janela.contract.ContactKey;
import io.janela.window.rules.ContactState.Fep;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FepRulesTest {

    static final ContactKey KEY = WindowRulesTest.KEY;
    static final Instant T0 = WindowRulesTest.T0;

    final WindowRules rules = new WindowRules(WindowPolicy.meta());

    static CustomerMessage fromAd(String id, Instant at) {
        return new CustomerMessage(id, at, InboundMessageType.TEXT, true, false, null, null);
    }

    ContactState reply(ContactState state, String id, Instant at) {
        return rules.onBusinessMessage(state, new BusinessMessage(id, at), at).after();
    }

    @Test
    void aClickToWhatsAppMessageMakesTheContactEligibleForTwentyFourHours() {
        ContactState state =
                rules.onCustomerMessage(null, KEY, fromAd("wamid.1", T0), T0).after();

        assertThat(state.fep()).isEqualTo(new Fep(T0, T0.plus(Duration.ofHours(24)), null, null, false));
        assertThat(state.window().viaReferral()).isTrue();
    }

    @Test
    void theFirstBusinessReplyWithinEligibilityOpensAPredictedSeventyTwoHourWindow() {
        ContactState eligible =
                rules.onCustomerMessage(null, KEY, fromAd("wamid.1", T0), T0).after();
        Instant replyAt = T0.plus(Duration.ofHours(10));

        ContactState state = reply(reply(eligible, "wamid.r1", replyAt), "wamid.r2", replyAt.plusSeconds(3600));

        assertThat(state.fep().openedAt()).isEqualTo(replyAt);
        assertThat(state.fep().expiresAt()).isEqualTo(replyAt.plus(Duration.ofHours(72)));
        assertThat(state.fep().confirmed()).isFalse();
    }

    @Test
    void aReplyAfterEligibilityEndedOpensNoFreeEntryPointWindow() {
        ContactState eligible =
                rules.onCustomerMessage(null, KEY, fromAd("wamid.1", T0), T0).after();

        ContactState state = reply(eligible, "wamid.r1", T0.plus(Duration.ofHours(25)));

        assertThat(state.fep().openedAt()).isNull();
        assertThat(state.fep().expiresAt()).isNull();
    }

    @Test
    void metasConfirmedExpiryReplacesThePredictionAndAnOlderOneDoesNotUndoIt() {
        Instant replyAt = T0.plus(Duration.ofHours(1));
        ContactState predicted = reply(
                rules.onCustomerMessage(null, KEY, fromAd("wamid.1", T0), T0).after(), "wamid.r1", replyAt);
        Instant metaExpiry = replyAt.plus(Duration.ofHours(72)).plusSeconds(5);

        ContactState confirmed = rules.onFepConfirmation(predicted, new FepConfirmation(replyAt, metaExpiry))
                .after();
        Transition again = rules.onFepConfirmation(confirmed, new FepConfirmation(replyAt, metaExpiry.minusSeconds(5)));
        ContactState laterReply = reply(confirmed, "wamid.r2", replyAt.plusSeconds(600));

        assertThat(confirmed.fep().expiresAt()).isEqualTo(metaExpiry);
        assertThat(confirmed.fep().confirmed()).isTrue();
        assertThat(again.ignored()).isEqualTo(IgnoreReason.STALE);
        assertThat(laterReply.fep().expiresAt()).isEqualTo(metaExpiry);
    }

    @Test
    void aConfirmationWithoutAKnownReferralStillRecordsTheWindow() {
        ContactState open = rules.onCustomerMessage(null, KEY, WindowRulesTest.text("wamid.1", T0), T0)
                .after();
        Instant metaExpiry = T0.plus(Duration.ofHours(73));

        ContactState state = rules.onFepConfirmation(open, new FepConfirmation(T0.plusSeconds(3600), metaExpiry))
                .after();

        assertThat(state.fep().expiresAt()).isEqualTo(metaExpiry);
        assertThat(state.fep().confirmed()).isTrue();
        assertThat(state.fep().eligibleUntil()).isNull();
    }

    @Test
    void aReplyProcessedBeforeTheReferralMessageStillOpensTheWindowFromTheReply() {
        Instant now = T0.plus(Duration.ofHours(2));
        ContactState open = rules.onCustomerMessage(null, KEY, WindowRulesTest.text("wamid.0", T0), now)
                .after();
        Instant adAt = T0.plusSeconds(60);
        Instant replyAt = T0.plusSeconds(120);
        ContactState replied = rules.onBusinessMessage(open, new BusinessMessage("wamid.r", replyAt), now)
                .after();

        ContactState state = rules.onCustomerMessage(replied, KEY, fromAd("wamid.1", adAt), now)
                .after();

        assertThat(state.fep().openedAt()).isEqualTo(replyAt);
        assertThat(state.fep().expiresAt()).isEqualTo(replyAt.plus(Duration.ofHours(72)));
    }

    @Test
    void aNewAdClickDuringARunningFreeEntryPointWindowDoesNotRestartIt() {
        Instant replyAt = T0.plusSeconds(600);
        ContactState running = reply(
                rules.onCustomerMessage(null, KEY, fromAd("wamid.1", T0), T0).after(), "wamid.r1", replyAt);
        Instant secondClick = T0.plus(Duration.ofHours(30));

        ContactState state = rules.onCustomerMessage(running, KEY, fromAd("wamid.2", secondClick), secondClick)
                .after();

        assertThat(state.fep()).isEqualTo(running.fep());
    }

    @Test
    void anAdClickAfterTheFreeEntryPointWindowEndedStartsANewEligibility() {
        Instant replyAt = T0.plusSeconds(600);
        ContactState ended = reply(
                rules.onCustomerMessage(null, KEY, fromAd("wamid.1", T0), T0).after(), "wamid.r1", replyAt);
        Instant nextClick = replyAt.plus(Duration.ofHours(80));

        ContactState state = rules.onCustomerMessage(ended, KEY, fromAd("wamid.2", nextClick), nextClick)
                .after();

        assertThat(state.fep()).isEqualTo(new Fep(nextClick, nextClick.plus(Duration.ofHours(24)), null, null, false));
    }

    /**
     * The free entry point of a contact with an open window who clicks an ad at {@code adAt}, gets a reply at {@code
     * replyAt} and Meta's confirmation of {@code metaExpiry}: processed in order, and with the sent webhook (reply and
     * confirmation) before the ad message's webhook (a retried delivery).
     */
    record BothOrders(Fep inOrder, Fep statusFirst) {}

    BothOrders clickReplyConfirmation(Instant adAt, Instant replyAt, Instant metaExpiry) {
        Instant now = T0.plus(Duration.ofHours(2));
        ContactState open = rules.onCustomerMessage(null, KEY, WindowRulesTest.text("wamid.0", T0), now)
                .after();
        CustomerMessage fromAd = fromAd("wamid.ad", adAt);
        FepConfirmation confirmation = new FepConfirmation(replyAt, metaExpiry);

        ContactState inOrder = rules.onCustomerMessage(open, KEY, fromAd, now).after();
        inOrder = rules.onFepConfirmation(reply(inOrder, "wamid.r", replyAt), confirmation)
                .after();
        ContactState statusFirst = rules.onFepConfirmation(reply(open, "wamid.r", replyAt), confirmation)
                .after();
        statusFirst = rules.onCustomerMessage(statusFirst, KEY, fromAd, now).after();
        return new BothOrders(inOrder.fep(), statusFirst.fep());
    }

    @Test
    void metasConfirmationProcessedBeforeTheClickThatMadeItPossibleStillWins() {
        Instant adAt = T0.plusSeconds(60);
        Instant replyAt = T0.plusSeconds(120);
        Instant metaExpiry = replyAt.plus(Duration.ofHours(72)).plusSeconds(5);

        BothOrders fep = clickReplyConfirmation(adAt, replyAt, metaExpiry);

        assertThat(fep.inOrder()).isEqualTo(new Fep(adAt, adAt.plus(Duration.ofHours(24)), replyAt, metaExpiry, true));
        assertThat(fep.statusFirst().confirmed())
                .as("Meta's confirmed expiry wins")
                .isTrue();
        assertThat(fep.statusFirst()).isEqualTo(fep.inOrder());
    }

    @Test
    void aLateConfirmationOfAnEarlierFreeEntryPointWindowDoesNotStopTheNextOne() {
        ContactState first =
                rules.onCustomerMessage(null, KEY, fromAd("wamid.1", T0), T0).after();
        Instant firstReply = T0.plusSeconds(600);
        first = reply(first, "wamid.r1", firstReply);
        Instant firstExpiry = firstReply.plus(Duration.ofHours(72));
        Instant nextClick = T0.plus(Duration.ofHours(100));
        ContactState eligibleAgain = rules.onCustomerMessage(first, KEY, fromAd("wamid.2", nextClick), nextClick)
                .after();
        assertThat(eligibleAgain.fep())
                .isEqualTo(new Fep(nextClick, nextClick.plus(Duration.ofHours(24)), null, null, false));

        // A retried sent webhook from the first FEP window (Meta retries for up to 7 days) confirms that one's end.
        ContactState afterStale = rules.onFepConfirmation(eligibleAgain, new FepConfirmation(firstReply, firstExpiry))
                .after();
        Instant secondReply = nextClick.plus(Duration.ofHours(1));
        ContactState state = reply(afterStale, "wamid.r2", secondReply);

        assertThat(state.fep().openedAt()).isEqualTo(secondReply);
        assertThat(state.fep().expiresAt()).isEqualTo(secondReply.plus(Duration.ofHours(72)));
    }

    @Test
    void metasConfirmationFirstGivesTheInOrderResultWhenItsExpiryIsSecondsShortOfTheReplyPlusSeventyTwoHours() {
        Instant replyAt = T0.plusSeconds(120);
        Instant adAt = replyAt.minusSeconds(1); // a bot answers the ad click within a second
        Instant metaExpiry = replyAt.plus(Duration.ofHours(72)).minusSeconds(2);

        BothOrders fep = clickReplyConfirmation(adAt, replyAt, metaExpiry);

        assertThat(fep.inOrder()).isEqualTo(new Fep(adAt, adAt.plus(Duration.ofHours(24)), replyAt, metaExpiry, true));
        assertThat(fep.statusFirst()).isEqualTo(fep.inOrder());
    }
}
