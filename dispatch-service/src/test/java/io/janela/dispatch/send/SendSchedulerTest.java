package io.janela.dispatch.send;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.fallbackPlan;
import static io.janela.dispatch.Fixtures.sendCommand;
import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.MessageCategory;
import io.janela.avro.OutboundRequest;
import io.janela.avro.PayloadType;
import io.janela.avro.Recipient;
import io.janela.avro.SendCommand;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.graph.GraphError;
import io.janela.dispatch.graph.SendResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SendSchedulerTest {

    private static final TopicPartition PARTITION = new TopicPartition("whatsapp.dispatch.send-commands", 0);
    private long offset;

    @Test
    void sendsOneCommandOfAContactAtATimeInTheOrderRead() {
        SendScheduler scheduler = scheduler(settings(DispatchProperties.InDoubtResolution.RESEND));
        Pending first = add(scheduler, "r-1", "alice");
        Pending second = add(scheduler, "r-2", "alice");

        assertThat(starts(scheduler, NOW)).containsExactly(first);
        assertThat(starts(scheduler, NOW)).isEmpty();

        SendScheduler.Finish finish = scheduler.answered(first, accepted("wamid.1"), NOW);
        assertThat(finish.result().getOutcome()).isEqualTo(DispatchOutcome.SENT);
        assertThat(finish.result().getWamid()).isEqualTo("wamid.1");
        assertThat(finish.result().getAttempts()).isEqualTo(1);
        assertThat(starts(scheduler, NOW)).containsExactly(second);
    }

    @Test
    void sendsToDifferentContactsAtOnce() {
        SendScheduler scheduler = scheduler(settings(DispatchProperties.InDoubtResolution.RESEND));
        Pending alice = add(scheduler, "r-1", "alice");
        Pending bob = add(scheduler, "r-2", "bob");

        assertThat(starts(scheduler, NOW)).containsExactly(alice, bob);
    }

    @Test
    void holdsOnlyTheContactMetAnsweredWithThePairRateLimitForFourToTheXSeconds() {
        SendScheduler scheduler = scheduler(settings(DispatchProperties.InDoubtResolution.RESEND));
        Pending alice = add(scheduler, "r-1", "alice");
        starts(scheduler, NOW);
        assertThat(scheduler.answered(alice, refused(131056, 400), NOW)).isNull();
        Pending bob = add(scheduler, "r-2", "bob");

        assertThat(starts(scheduler, NOW.plusMillis(500))).containsExactly(bob);
        assertThat(starts(scheduler, NOW.plusSeconds(1))).containsExactly(alice);
        assertThat(scheduler.answered(alice, refused(131056, 400), NOW.plusSeconds(1)))
                .isNull();
        assertThat(starts(scheduler, NOW.plusSeconds(4))).isEmpty();
        assertThat(starts(scheduler, NOW.plusSeconds(5))).containsExactly(alice);
    }

    @Test
    void retriesRetryableErrorsAfterABackoffAndGivesUpAfterMaxAttempts() {
        SendScheduler scheduler = scheduler(settings(DispatchProperties.InDoubtResolution.RESEND));
        Pending alice = add(scheduler, "r-1", "alice");
        Instant now = NOW;
        SendScheduler.Finish finish = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(starts(scheduler, now)).containsExactly(alice);
            finish = scheduler.answered(alice, refused(130429, 400), now);
            now = now.plusSeconds(10);
        }
        assertThat(finish.result().getOutcome()).isEqualTo(DispatchOutcome.FAILED);
        assertThat(finish.result().getReason()).isEqualTo(DispatchReason.RETRIES_EXHAUSTED);
        assertThat(finish.result().getMetaErrorCode()).isEqualTo(130429);
        assertThat(finish.result().getAttempts()).isEqualTo(3);
    }

    /** A free-form message with a fallback template, refused by Meta with 131047 in its answer at {@link #NOW}. */
    private Pending refusedWithAFallback(SendScheduler scheduler) {
        Pending alice = add(
                scheduler,
                sendCommand(
                        text("r-1", "hi")
                                .setFallbackTemplate(templatePayload("reengage").build())
                                .build(),
                        fallbackPlan()),
                "alice");
        starts(scheduler, NOW);
        assertThat(scheduler.answered(alice, refused(131047, 400), NOW)).isNull();
        return alice;
    }

    @Test
    void sendsTheFallbackTemplateAtOnceWhenMetaRefusesTheFreeFormMessageWith131047() {
        SendScheduler scheduler = scheduler(settings(DispatchProperties.InDoubtResolution.RESEND));
        Pending alice = refusedWithAFallback(scheduler);

        assertThat(starts(scheduler, NOW)).containsExactly(alice);
        assertThat(alice.sendsFallback()).isTrue();
        SendScheduler.Finish finish = scheduler.answered(alice, accepted("wamid.2"), NOW);
        assertThat(finish.result().getOutcome()).isEqualTo(DispatchOutcome.SENT);
        assertThat(finish.result().getFallbackUsed()).isTrue();
        assertThat(finish.result().getPrimaryRefusedWith())
                .as("Meta's refusal of the free-form message, which no failed webhook will report")
                .isEqualTo(131047);
        assertThat(finish.result().getPrimaryRefusedAt()).isEqualTo(NOW);
        assertThat(finish.result().getMetaErrorCode()).isNull();
        assertThat(finish.result().getPayloadType()).isEqualTo(PayloadType.TEMPLATE);
        assertThat(finish.result().getCategory()).isEqualTo(MessageCategory.MARKETING);
        assertThat(finish.result().getAttempts()).isEqualTo(2);
    }

    @Test
    void aFallbackThatFailsAfterMetaRefusedTheFreeFormMessageStillReportsTheRefusal() {
        SendScheduler scheduler = scheduler(settings(DispatchProperties.InDoubtResolution.RESEND));
        Pending alice = refusedWithAFallback(scheduler);
        assertThat(starts(scheduler, NOW.plusSeconds(1))).containsExactly(alice);

        SendScheduler.Finish finish = scheduler.answered(alice, refused(132015, 400), NOW.plusSeconds(1));

        assertThat(finish.result().getOutcome()).isEqualTo(DispatchOutcome.FAILED);
        assertThat(finish.result().getMetaErrorCode()).isEqualTo(132015);
        assertThat(finish.result().getPrimaryRefusedWith())
                .as("the window-service still has to learn that Meta closed the window")
                .isEqualTo(131047);
        assertThat(finish.result().getPrimaryRefusedAt()).isEqualTo(NOW);
    }

    @Test
    void failsWindowClosedOn131047WithoutAFallback() {
        SendScheduler scheduler = scheduler(settings(DispatchProperties.InDoubtResolution.RESEND));
        Pending alice = add(scheduler, "r-1", "alice");
        starts(scheduler, NOW);
        SendScheduler.Finish finish = scheduler.answered(alice, refused(131047, 400), NOW);
        assertThat(finish.result().getReason()).isEqualTo(DispatchReason.WINDOW_CLOSED);
        assertThat(finish.result().getMetaErrorCode()).isEqualTo(131047);
    }

    @Test
    void failsForGoodOnATerminalCode() {
        SendScheduler scheduler = scheduler(settings(DispatchProperties.InDoubtResolution.RESEND));
        Pending alice = add(scheduler, "r-1", "alice");
        starts(scheduler, NOW);
        SendScheduler.Finish finish = scheduler.answered(alice, refused(131026, 400), NOW);
        assertThat(finish.result().getOutcome()).isEqualTo(DispatchOutcome.FAILED);
        assertThat(finish.result().getReason()).isEqualTo(DispatchReason.META_ERROR);
        assertThat(finish.result().getMetaErrorCode()).isEqualTo(131026);
        assertThat(finish.result().getDetail()).contains("131026");
    }

    @Test
    void holdsAnUnansweredSendUntilAStatusConfirmsItAndDoesNotSendItAgain() {
        SendScheduler scheduler = scheduler(settings(DispatchProperties.InDoubtResolution.RESEND));
        Pending alice = add(scheduler, "r-1", "alice");
        Pending next = add(scheduler, "r-2", "alice");
        starts(scheduler, NOW);
        assertThat(scheduler.answered(alice, new SendResponse.Unanswered(true, "timeout"), NOW.plusSeconds(20)))
                .isNull();
        assertThat(scheduler.inDoubt()).isEqualTo(1);
        assertThat(starts(scheduler, NOW.plusSeconds(30)))
                .as("its contact waits")
                .isEmpty();

        SendScheduler.Finish finish = scheduler.accepted(alice.journalKey, "wamid.9", NOW.plusSeconds(2));
        assertThat(finish.result().getOutcome()).isEqualTo(DispatchOutcome.SENT);
        assertThat(finish.result().getWamid()).isEqualTo("wamid.9");
        assertThat(starts(scheduler, NOW.plusSeconds(31))).containsExactly(next);
    }

    @Test
    void sendsAnUnconfirmedSendAgainOnlyWhenLaterStatusesOfItsNumberArrivedWithoutIt() {
        SendScheduler scheduler = scheduler(settings(DispatchProperties.InDoubtResolution.RESEND));
        Pending alice = add(scheduler, "r-1", "alice");
        starts(scheduler, NOW);
        scheduler.answered(alice, new SendResponse.Unanswered(true, "timeout"), NOW);

        Instant afterTimeout = NOW.plus(Duration.ofMinutes(3));
        SendScheduler.Evidence laterStatuses = (number, attemptedAt) -> attemptedAt.equals(NOW);
        assertThat(scheduler
                        .settleInDoubt(afterTimeout, NOW.plusSeconds(30), laterStatuses)
                        .resent())
                .as("the search has not read up to the timeout yet")
                .isEmpty();
        assertThat(starts(scheduler, afterTimeout)).isEmpty();

        SendScheduler.Settled settled = scheduler.settleInDoubt(afterTimeout, afterTimeout, laterStatuses);
        assertThat(settled.resent()).containsExactly(alice);
        assertThat(settled.finished()).isEmpty();
        assertThat(scheduler.nextEligibleAt())
                .as("the loop looks at the queues again")
                .isBefore(afterTimeout);
        assertThat(starts(scheduler, afterTimeout)).containsExactly(alice);
        assertThat(alice.attempts).isEqualTo(2);
    }

    @Test
    void neverSendsAgainOnSilenceAndReportsSendInDoubtAfterTheMaximumWait() {
        SendScheduler scheduler = scheduler(settings(DispatchProperties.InDoubtResolution.RESEND));
        Pending alice = add(scheduler, "r-1", "alice");
        starts(scheduler, NOW);
        scheduler.answered(alice, new SendResponse.Unanswered(true, "timeout"), NOW);
        // Statuses of the number arrived, but none that proves the attempt's own would have come.
        SendScheduler.Evidence noProof = (number, attemptedAt) -> false;

        Instant afterTimeout = NOW.plus(Duration.ofMinutes(3));
        assertThat(scheduler.settleInDoubt(afterTimeout, afterTimeout, noProof))
                .isEqualTo(new SendScheduler.Settled(List.of(), List.of()));
        assertThat(scheduler.settleInDoubt(afterTimeout, afterTimeout, (number, attemptedAt) -> false))
                .isEqualTo(new SendScheduler.Settled(List.of(), List.of()));
        assertThat(starts(scheduler, afterTimeout))
                .as("not sent again on silence")
                .isEmpty();

        Instant atCap = NOW.plus(Duration.ofMinutes(10));
        SendScheduler.Settled settled = scheduler.settleInDoubt(atCap, NOW, (number, attemptedAt) -> false);
        assertThat(settled.resent()).isEmpty();
        assertThat(settled.finished()).singleElement().satisfies(finish -> {
            assertThat(finish.result().getOutcome()).isEqualTo(DispatchOutcome.FAILED);
            assertThat(finish.result().getReason()).isEqualTo(DispatchReason.SEND_IN_DOUBT);
            assertThat(finish.result().getAttempts()).isEqualTo(1);
        });
        assertThat(scheduler.inDoubt()).isZero();
        assertThat(scheduler.held()).isZero();
    }

    @Test
    void failsAnUnconfirmedSendInDoubtWhenConfiguredNotToSendAgain() {
        SendScheduler scheduler = scheduler(settings(DispatchProperties.InDoubtResolution.FAIL));
        Pending alice = add(scheduler, "r-1", "alice");
        scheduler.addInDoubt(alice, 1, NOW);
        // addInDoubt on an added command: the journal said ATTEMPTING
        Instant afterTimeout = NOW.plus(Duration.ofMinutes(3));
        List<SendScheduler.Finish> finished = scheduler
                .settleInDoubt(afterTimeout, afterTimeout, (number, attemptedAt) -> false)
                .finished();

        assertThat(finished).singleElement().satisfies(finish -> {
            assertThat(finish.result().getOutcome()).isEqualTo(DispatchOutcome.FAILED);
            assertThat(finish.result().getReason()).isEqualTo(DispatchReason.SEND_IN_DOUBT);
        });
    }

    @Test
    void endsACommandWhoseRequestExpiredWhileWaitingExpired() {
        SendScheduler scheduler = scheduler(settings(DispatchProperties.InDoubtResolution.RESEND));
        add(
                scheduler,
                sendCommand(text("r-1", "hi").setExpiresAt(NOW.plusSeconds(5)).build(), null),
                "alice");
        List<SendScheduler.Finish> finished = new ArrayList<>();

        assertThat(scheduler.due(NOW.plusSeconds(5), number -> true, finished)).isEmpty();
        assertThat(finished).singleElement().satisfies(finish -> {
            assertThat(finish.result().getOutcome()).isEqualTo(DispatchOutcome.EXPIRED);
            assertThat(finish.result().getReason()).isEqualTo(DispatchReason.REQUEST_EXPIRED);
        });
    }

    @Test
    void ignoresAnAnswerForACommandOfAPartitionItGaveUp() {
        SendScheduler scheduler = scheduler(settings(DispatchProperties.InDoubtResolution.RESEND));
        Pending alice = add(scheduler, "r-1", "alice");
        starts(scheduler, NOW);

        assertThat(scheduler.drop(PARTITION)).containsExactly(alice);

        assertThat(alice.state).isEqualTo(Pending.State.DONE);
        assertThat(scheduler.held()).isZero();
        assertThat(scheduler.inFlight()).isZero();
    }

    @Test
    void startsNothingForANumberWhosePacerIsFull() {
        SendScheduler scheduler = scheduler(settings(DispatchProperties.InDoubtResolution.RESEND));
        add(scheduler, "r-1", "alice");
        assertThat(scheduler.due(NOW, number -> false, new ArrayList<>())).isEmpty();
        assertThat(scheduler.nextEligibleAt()).isEqualTo(NOW);
    }

    private Pending add(SendScheduler scheduler, String requestId, String user) {
        OutboundRequest request = text(requestId, "hi")
                .setRecipient(new Recipient(null, "US." + user))
                .build();
        return add(scheduler, sendCommand(request, null), user);
    }

    private Pending add(SendScheduler scheduler, SendCommand command, String user) {
        Pending pending = new Pending(command, PARTITION, offset++, PHONE_NUMBER_ID + ":US." + user);
        scheduler.add(pending);
        return pending;
    }

    private static List<Pending> starts(SendScheduler scheduler, Instant now) {
        return scheduler.due(now, number -> true, new ArrayList<>()).stream()
                .map(SendScheduler.Start::pending)
                .toList();
    }

    private static SendScheduler scheduler(DispatchProperties.Sender settings) {
        return new SendScheduler(
                settings,
                new RetryPolicy(
                        settings.initialBackoff(), settings.maxBackoff(), settings.downtimeBackoff(), new Random(5)));
    }

    static DispatchProperties.Sender settings(DispatchProperties.InDoubtResolution resolution) {
        return Fixtures.senderSettings("test", 3, resolution);
    }

    private static SendResponse accepted(String wamid) {
        return new SendResponse.Accepted(wamid, null, null, null);
    }

    private static SendResponse refused(int code, int httpStatus) {
        return new SendResponse.Refused(
                httpStatus, new GraphError(code, null, "OAuthException", "m", "details " + code, "t"));
    }
}
