package io.janela.dispatch.send;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.USER_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DeliveryStatus;
import io.janela.avro.MessageStatus;
import io.janela.avro.MetaError;
import io.janela.avro.SendKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status matching and the search's bookkeeping, without a broker (the search thread is never started). */
class InDoubtResolverTest {

    private final InDoubtResolver resolver = new InDoubtResolver(
            "whatsapp.message-statuses",
            Map.of(),
            null,
            Duration.ofMinutes(2),
            Duration.ofSeconds(30),
            () -> {},
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void anyStatusOfAPrimarySendProvesMetaAcceptedIt() {
        resolver.watch(
                new InDoubtResolver.Watch("PRIMARY:r-1", "r-1", SendKind.PRIMARY, NOW, null, NOW.minusSeconds(1)));

        onTime(status("wamid.1", "r-1", DeliveryStatus.SENT, NOW.plusSeconds(1)));

        assertThat(resolver.drain())
                .containsExactly(new InDoubtResolver.Found("PRIMARY:r-1", "wamid.1", NOW.plusSeconds(1)));
    }

    @Test
    void theRefusedFreeFormMessagesStatusesNeverSettleItsFallback() {
        resolver.watch(new InDoubtResolver.Watch(
                "FALLBACK:r-1", "r-1", SendKind.FALLBACK, NOW, "wamid.primary", NOW.minusSeconds(1)));

        // The free-form message's own statuses echo the same request id, at any time (webhooks come late).
        onTime(status("wamid.primary", "r-1", DeliveryStatus.SENT, NOW.plusSeconds(3)));
        onTime(reengagement("wamid.primary", "r-1", NOW.plusSeconds(4)));
        assertThat(resolver.drain()).as("the primary's statuses prove nothing").isEmpty();

        onTime(status("wamid.fallback", "r-1", DeliveryStatus.SENT, NOW.plusSeconds(5)));
        assertThat(resolver.drain())
                .containsExactly(new InDoubtResolver.Found("FALLBACK:r-1", "wamid.fallback", NOW.plusSeconds(5)));
    }

    @Test
    void aFallbackIsMatchedOnlyByStatusesFromItsDecisionOnNotByThoseOfAnEarlierFreeFormMessage() {
        // The free-form message was sent twice (the first in doubt, sent again on evidence); Meta refused the second
        // (wamid.primary-2) with 131047, and the fallback was decided at NOW.
        resolver.watch(new InDoubtResolver.Watch(
                "FALLBACK:r-1", "r-1", SendKind.FALLBACK, NOW.plusSeconds(2), "wamid.primary-2", NOW));

        // The first free-form message's statuses echo the request id too, and come late: they are older than the
        // refusal, so they prove nothing about the fallback.
        onTime(status("wamid.primary-1", "r-1", DeliveryStatus.DELIVERED, NOW.minusSeconds(150)));
        onTime(status("wamid.primary-1", "r-1", DeliveryStatus.READ, NOW.minusSeconds(40)));
        assertThat(resolver.drain())
                .as("an earlier free-form message's statuses")
                .isEmpty();

        // Meta's clock a little behind ours: the fallback's own status still counts.
        onTime(status("wamid.fallback", "r-1", DeliveryStatus.SENT, NOW.minusSeconds(2)));
        assertThat(resolver.drain()).extracting(InDoubtResolver.Found::wamid).containsExactly("wamid.fallback");
    }

    @Test
    void aFallbackCommandThatDoesNotNameTheRefusedMessageIsMatchedOnlyByStatusesFromItsAttemptOn() {
        Instant attempt = NOW.plusMillis(1_500);
        resolver.watch(new InDoubtResolver.Watch("FALLBACK:r-1", "r-1", SendKind.FALLBACK, attempt, null, NOW));

        onTime(status("wamid.primary", "r-1", DeliveryStatus.SENT, NOW));
        assertThat(resolver.drain()).isEmpty();

        onTime(status("wamid.fallback", "r-1", DeliveryStatus.SENT, NOW.plusSeconds(1)));
        assertThat(resolver.drain()).extracting(InDoubtResolver.Found::wamid).containsExactly("wamid.fallback");
    }

    @Test
    void provesASendLostOnlyByAnOnTimeStatusOfItsNumberFromSoonAfterTheAttempt() {
        Duration margin = Duration.ofSeconds(30);
        assertThat(resolver.provesLost(PHONE_NUMBER_ID, NOW, margin))
                .as("no status")
                .isFalse();

        onTime(status("wamid.1", "r-1", DeliveryStatus.SENT, NOW.plusSeconds(10)));
        onTime(status("wamid.3", null, DeliveryStatus.SENT, NOW.plusSeconds(90)));
        assertThat(resolver.provesLost(PHONE_NUMBER_ID, NOW, margin))
                .as("within the margin; and a status of no dispatch send")
                .isFalse();

        onTime(status("wamid.2", "r-2", DeliveryStatus.DELIVERED, NOW.plusSeconds(40)));
        assertThat(resolver.provesLost(PHONE_NUMBER_ID, NOW, margin)).isTrue();
        assertThat(resolver.provesLost("another-number", NOW, margin)).isFalse();
        assertThat(resolver.provesLost(
                        PHONE_NUMBER_ID,
                        NOW.minus(InDoubtResolver.EVIDENCE_WINDOW).minus(margin),
                        margin))
                .as("a status long after the attempt says nothing about the attempt's time")
                .isFalse();
    }

    @Test
    void aStatusHeldBackByAnOutageMakesLaterOnesNoEvidenceForSendsOfItsTime() {
        Duration margin = Duration.ofSeconds(1);
        // Webhooks silent from NOW on: the held-back statuses come three minutes late, after fresh ones.
        onTime(status("wamid.fresh", "r-fresh", DeliveryStatus.SENT, NOW.plusSeconds(5)));
        assertThat(resolver.provesLost(PHONE_NUMBER_ID, NOW, margin)).isTrue();

        resolver.check(
                status("wamid.held", "r-held", DeliveryStatus.SENT, NOW.plusSeconds(2)),
                NOW.plusSeconds(2).plus(Duration.ofMinutes(3)));

        assertThat(resolver.provesLost(PHONE_NUMBER_ID, NOW, margin))
                .as("statuses of the attempt's time were held back: its own may still come")
                .isFalse();
        assertThat(resolver.provesLost(PHONE_NUMBER_ID, NOW.plusSeconds(4), margin))
                .as("a send after the held-back time")
                .isTrue();
    }

    @Test
    void aWatchAddedWhileARoundIsReadIsNotDeclaredSearchedByThatRound() {
        resolver.watch(
                new InDoubtResolver.Watch("PRIMARY:r-1", "r-1", SendKind.PRIMARY, NOW, null, NOW.minusSeconds(1)));
        InDoubtResolver.Round round = resolver.nextRound();
        resolver.watch(
                new InDoubtResolver.Watch("PRIMARY:r-2", "r-2", SendKind.PRIMARY, NOW, null, NOW.minusSeconds(1)));

        resolver.caughtUp(round, NOW);
        assertThat(resolver.searchedUntil()).isEqualTo(Instant.MIN);

        InDoubtResolver.Round next = resolver.nextRound();
        resolver.caughtUp(next, NOW.plusSeconds(1));
        assertThat(resolver.searchedUntil()).isEqualTo(NOW.plusSeconds(1));
    }

    /** A status read as it came: on time (its ingest time is its Meta time). */
    private void onTime(MessageStatus status) {
        resolver.check(status, status.getTimestamp());
    }

    private static MessageStatus status(String wamid, String requestId, DeliveryStatus kind, Instant at) {
        return MessageStatus.newBuilder()
                .setMessageId(wamid)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(USER_ID)
                .setStatus(kind)
                .setTimestamp(at)
                .setBizOpaqueCallbackData(requestId)
                .setRawJson("{}")
                .build();
    }

    private static MessageStatus reengagement(String wamid, String requestId, Instant at) {
        return MessageStatus.newBuilder(status(wamid, requestId, DeliveryStatus.FAILED, at))
                .setErrors(List.of(new MetaError(131047, "Re-engagement message", "t", "d")))
                .build();
    }
}
