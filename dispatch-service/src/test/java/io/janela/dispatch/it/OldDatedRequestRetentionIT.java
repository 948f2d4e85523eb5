package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchResult;
import io.janela.avro.OutboundRequest;
import io.janela.avro.Recipient;
import io.janela.testsupport.kafka.RestartableKafkaBroker;
import io.janela.testsupport.kafka.RetentionCheck;
import io.janela.testsupport.kafka.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An outbound request a company system wrote with a record timestamp two years old (a backlog replayed with its
 * original times) stays readable for the whole retention of whatsapp.outbound-requests from the moment it was written,
 * and dispatch answers it. The topic dispatch creates is stamped by the broker ({@code message.timestamp.type=
 * LogAppendTime}); created without it, as before, retention deleted the request while dispatch was stopped, and
 * dispatch never answered it. The broker keeps records 10 minutes, checks retention every 200 ms and rolls segments
 * after 100 ms.
 */
class OldDatedRequestRetentionIT {

    private static final String SCOPE = "dispatch-old-dated-request-it";
    private static final Duration RETENTION = Duration.ofMinutes(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String KEY = "company-key";

    private static RestartableKafkaBroker broker;
    private static DispatchEnvironment environment;

    @BeforeAll
    static void start() {
        broker = RestartableKafkaBroker.start(Map.of(
                "log.retention.ms", Long.toString(RETENTION.toMillis()),
                "log.retention.check.interval.ms", "200",
                "log.roll.ms", "100"));
        environment = new DispatchEnvironment(broker, SCOPE, 50, Map.of());
        environment.startService();
        environment.awaitCatalog(List.of("order_update"), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (environment != null) {
            environment.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aRequestWithARecordTimestampTwoYearsOldIsStillAnsweredAfterRetentionRan() throws Exception {
        // dispatch stops before the company writes: the request waits in the topic. It is the first record of its
        // partition (appended behind a newer record of the same segment, it would be kept as long as that one is).
        environment.stopService();

        Instant twoYearsAgo = Instant.now().minus(Duration.ofDays(730)).truncatedTo(ChronoUnit.MILLIS);
        String old = RunningDispatch.requestId();
        long writtenFrom = System.currentTimeMillis();
        environment.request(KEY, orderUpdate(old, twoYearsAgo), twoYearsAgo);
        // Retention has run at least once since the request was written...
        RetentionCheck.awaitRun(environment.bootstrapServers(), RETENTION, TIMEOUT);
        // ...and again after the next request (same key, same partition) rolled its segment.
        String current = RunningDispatch.requestId();
        environment.request(KEY, orderUpdate(current, Instant.now()), Instant.now());
        RetentionCheck.awaitRun(environment.bootstrapServers(), RETENTION, TIMEOUT);

        try (TopicReader<String, OutboundRequest> requests = environment.requests()) {
            Records.await(requests, request -> current.equals(request.getRequestId()), 1, TIMEOUT);
            // The request dated two years ago, still in the topic.
            RetentionCheck.brokerStamped(
                    requests.received(), record -> old.equals(record.value().getRequestId()), writtenFrom);
        }

        environment.startService();
        try (TopicReader<String, DispatchResult> results = environment.results()) {
            DispatchResult answered = Records.outcome(results, old, TIMEOUT);
            assertThat(answered.getOutcome()).isEqualTo(DispatchOutcome.SENT);
            assertThat(answered.getRequestCreatedAt())
                    .as("the request's own createdAt")
                    .isEqualTo(twoYearsAgo);
            assertThat(Records.outcome(results, current, TIMEOUT).getOutcome()).isEqualTo(DispatchOutcome.SENT);
        }
        assertThat(environment.accepted(old))
                .as("Meta received the old request")
                .hasSize(1);
    }

    private static OutboundRequest orderUpdate(String requestId, Instant createdAt) {
        return text(requestId, "x")
                .setRecipient(new Recipient(null, RunningDispatch.contact()))
                .setPayload(templatePayload("order_update", "Ana", "42").build())
                .setCreatedAt(createdAt)
                .build();
    }
}
