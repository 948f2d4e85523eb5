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

        resolver.check(status("wamid.1", "r-1", DeliveryStatus.SENT, NOW.plusSeconds(1)));

        assertThat(resolver.drain())
                .containsExactly(new InDoubtResolver.Found("PRIMARY:r-1", "wamid.1", NOW.plusSeconds(1)));
    }

    @Test
    void theRefusedFreeFormMessagesStatusesNeverSettleItsFallback() {
        resolver.watch(new InDoubtResolver.Watch(
                "FALLBACK:r-1", "r-1", SendKind.FALLBACK, NOW, "wamid.primary", NOW.minusSeconds(1)));

        // The free-form message's own statuses echo the same request id, at any time (webhooks come late).
        resolver.check(status("wamid.primary", "r-1", DeliveryStatus.SENT, NOW.plusSeconds(3)));
        resolver.check(reengagement("wamid.primary", "r-1", NOW.plusSeconds(4)));
        assertThat(resolver.drain()).as("the primary's statuses prove nothing").isEmpty();

        resolver.check(status("wamid.fallback", "r-1", DeliveryStatus.SENT, NOW.plusSeconds(5)));
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
        resolver.check(status("wamid.primary-1", "r-1", DeliveryStatus.DELIVERED, NOW.minusSeconds(150)));
        resolver.check(status("wamid.primary-1", "r-1", DeliveryStatus.READ, NOW.minusSeconds(40)));
        assertThat(resolver.drain())
                .as("an earlier free-form message's statuses")
                .isEmpty();

        // Meta's clock a little behind ours: the fallback's own status still counts.
        resolver.check(status("wamid.fallback", "r-1", DeliveryStatus.SENT, NOW.minusSeconds(2)));
        assertThat(resolver.drain()).extracting(InDoubtResolver.Found::wamid).containsExactly("wamid.fallback");
    }

    @Test
    void aFallbackCommandThatDoesNotNameTheRefusedMessageIsMatchedOnlyByStatusesFromItsAttemptOn() {
        Instant attempt = NOW.plusMillis(1_500);
        resolver.watch(new InDoubtResolver.Watch("FALLBACK:r-1", "r-1", SendKind.FALLBACK, attempt, null, NOW));

        resolver.check(status("wamid.primary", "r-1", DeliveryStatus.SENT, NOW));
        assertThat(resolver.drain()).isEmpty();

        resolver.check(status("wamid.fallback", "r-1", DeliveryStatus.SENT, NOW.plusSeconds(1)));
        assertThat(resolver.drain()).extracting(InDoubtResolver.Found::wamid).containsExactly("wamid.fallback");
    }

    @Test
    void keepsTheLatestStatusTimeOfEachBusinessNumberAsEvidence() {
        assertThat(resolver.watermark(PHONE_NUMBER_ID)).isNull();

        resolver.check(status("wamid.2", "r-2", DeliveryStatus.DELIVERED, NOW.plusSeconds(40)));
        resolver.check(status("wamid.1", "r-1", DeliveryStatus.SENT, NOW.plusSeconds(10)));
        resolver.check(status("wamid.3", null, DeliveryStatus.SENT, NOW.plusSeconds(90)));

        assertThat(resolver.watermark(PHONE_NUMBER_ID))
                .as("the latest, from dispatch's sends only")
                .isEqualTo(NOW.plusSeconds(40));
        assertThat(resolver.watermark("another-number")).isNull();
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
