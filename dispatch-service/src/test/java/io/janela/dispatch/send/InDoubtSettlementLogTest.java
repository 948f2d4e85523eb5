package io.janela.dispatch.send;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.sendCommand;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.janela.avro.Recipient;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.graph.SendResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Issue 16, item 10: every settlement of a send in doubt is logged once, with the request id, as a structured line
 * (key-value pairs the service's ECS logging writes as fields), and without the recipient or the message.
 */
class InDoubtSettlementLogTest {

    private static final TopicPartition PARTITION = new TopicPartition("whatsapp.dispatch.send-commands", 0);
    private static final String RECIPIENT = "US.15550001234";
    private static final String BODY = "your code is 424242";

    private final Logger logger = (Logger) LoggerFactory.getLogger(SendScheduler.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Level level;

    @BeforeEach
    void capture() {
        level = logger.getLevel();
        logger.setLevel(Level.INFO);
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
        logger.setLevel(level);
    }

    @Test
    void aResendAfterTheInDoubtTimeoutIsLoggedWithItsRequestIdAttemptAndTime() {
        SendScheduler scheduler = scheduler(3);
        Pending pending = inDoubt(scheduler, "r-resent");

        Instant afterTimeout = NOW.plus(Duration.ofMinutes(3));
        assertThat(scheduler
                        .settleInDoubt(afterTimeout, afterTimeout, (number, attemptedAt) -> true)
                        .resent())
                .containsExactly(pending);

        assertThat(settlements())
                .containsExactly(Map.of(
                        "request_id", "r-resent",
                        "send_kind", "primary",
                        "settlement", "resent",
                        "attempt", "1",
                        "in_doubt_since", NOW.toString(),
                        "phone_number_id", PHONE_NUMBER_ID));
        assertThat(appender.list.getFirst().getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void aConfirmationByStatusIsLogged() {
        SendScheduler scheduler = scheduler(3);
        Pending pending = inDoubt(scheduler, "r-confirmed");

        assertThat(scheduler.accepted(pending.journalKey, "wamid.1", NOW.plusSeconds(1)))
                .isNotNull();

        assertSettledOnce("r-confirmed", "confirmed");
    }

    @Test
    void aSendInDoubtPastTheMaximumWaitIsLogged() {
        assertFinishedAndLogged(3, "r-capped", Duration.ofMinutes(10), false, "send_in_doubt");
    }

    @Test
    void aLostSendWithoutAttemptsLeftIsLogged() {
        assertFinishedAndLogged(1, "r-exhausted", Duration.ofMinutes(3), true, "retries_exhausted");
    }

    /** A send in doubt settled with a final result {@code after} its attempt, with or without proof it was lost. */
    private void assertFinishedAndLogged(
            int maxAttempts, String requestId, Duration after, boolean provedLost, String settlement) {
        SendScheduler scheduler = scheduler(maxAttempts);
        inDoubt(scheduler, requestId);

        Instant at = NOW.plus(after);
        SendScheduler.Settled settled = scheduler.settleInDoubt(at, at, (number, attemptedAt) -> provedLost);
        assertThat(settled.finished()).hasSize(1);
        // What janela.dispatch.sender.in.doubt.settled{settlement="retries_exhausted"} counts.
        assertThat(settled.retriesExhausted()).isEqualTo(settlement.equals("retries_exhausted") ? 1 : 0);

        assertSettledOnce(requestId, settlement);
    }

    private void assertSettledOnce(String requestId, String settlement) {
        assertThat(settlements())
                .singleElement()
                .satisfies(fields -> assertThat(fields)
                        .containsEntry("request_id", requestId)
                        .containsEntry("settlement", settlement));
    }

    /** Each settlement line's key-value pairs; checks that no line names the recipient or holds the message. */
    private List<Map<String, String>> settlements() {
        List<Map<String, String>> lines = new ArrayList<>();
        for (ILoggingEvent event : appender.list) {
            assertThat(event.getFormattedMessage()).doesNotContain(RECIPIENT).doesNotContain(BODY);
            Map<String, String> fields = new LinkedHashMap<>();
            for (KeyValuePair pair :
                    event.getKeyValuePairs() == null ? List.<KeyValuePair>of() : event.getKeyValuePairs()) {
                fields.put(pair.key, String.valueOf(pair.value));
            }
            assertThat(fields.values()).doesNotContain(RECIPIENT);
            lines.add(fields);
        }
        return lines;
    }

    private static Pending inDoubt(SendScheduler scheduler, String requestId) {
        Pending pending = new Pending(
                sendCommand(
                        text(requestId, BODY)
                                .setRecipient(new Recipient(null, RECIPIENT))
                                .build(),
                        null),
                PARTITION,
                0,
                PHONE_NUMBER_ID + ":" + RECIPIENT);
        scheduler.add(pending);
        scheduler.due(NOW, number -> true, new ArrayList<>());
        scheduler.answered(pending, new SendResponse.Unanswered(true, "timeout"), NOW);
        return pending;
    }

    private static SendScheduler scheduler(int maxAttempts) {
        DispatchProperties.Sender settings =
                Fixtures.senderSettings("test", maxAttempts, DispatchProperties.InDoubtResolution.RESEND);
        return new SendScheduler(
                settings,
                new RetryPolicy(
                        settings.initialBackoff(), settings.maxBackoff(), settings.downtimeBackoff(), new Random(5)));
    }
}
