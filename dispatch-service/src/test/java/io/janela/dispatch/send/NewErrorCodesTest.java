package io.janela.dispatch.send;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.USER_ID;
import static io.janela.dispatch.Fixtures.WA_ID;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.OutboundRequest;
import io.janela.avro.Recipient;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.graph.MessageRequests;
import io.janela.dispatch.graph.SandboxGraph;
import io.janela.dispatch.graph.SendResponse;
import io.janela.sandbox.faults.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The error codes Meta added in 2025–2026 (WHATSAPP.md §4.6, §11.4), answered by the Cloud API sandbox in Meta's error
 * shape and read by the real Graph API client: each ends the request at the first answer (never retried, whatever the
 * HTTP status) with its documented reason.
 */
class NewErrorCodesTest {

    private static final String TOKEN = "new-error-codes-token";
    private static SandboxGraph graph;

    @BeforeAll
    static void startSandbox() {
        graph = SandboxGraph.start(TOKEN);
        graph.sandbox().control().inbound(PHONE_NUMBER_ID, WA_ID, USER_ID, Instant.now());
    }

    @AfterAll
    static void stopSandbox() {
        graph.close();
    }

    @ParameterizedTest(name = "{0} (HTTP {1}) ends the request {2}")
    @CsvSource({
        "131049, , MARKETING_USER_LIMIT, true",
        "131049, 500, MARKETING_USER_LIMIT, true",
        "131062, , AUTHENTICATION_NEEDS_PHONE_NUMBER, false",
        "131063, , META_ERROR, false",
        "131063, 503, META_ERROR, false",
        "147001, , META_ERROR, false",
        "131060, , META_ERROR, false",
        "131064, , MESSAGING_LIMIT, false",
        "131064, 500, MESSAGING_LIMIT, false"
    })
    void endsTheRequestAtTheFirstAnswerWithTheCodesDocumentedReason(
            int code, Integer httpStatus, DispatchReason reason, boolean heldForADay) {
        graph.sandbox().control().inject(new Fault(null, null, code, httpStatus, Fault.Mode.SYNC, 1, null));
        OutboundRequest request = text("r-" + code, "hello")
                .setRecipient(new Recipient(null, USER_ID))
                .build();
        SendScheduler scheduler = new SendScheduler(
                Fixtures.senderSettings("test", 8, DispatchProperties.InDoubtResolution.RESEND),
                new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(60), new Random(3)));
        Pending pending = new Pending(
                Fixtures.sendCommand(request, null),
                new TopicPartition("whatsapp.dispatch.send-commands", 0),
                0,
                PHONE_NUMBER_ID + ":" + USER_ID);
        scheduler.add(pending);
        assertThat(scheduler.due(NOW, number -> true, new ArrayList<>())).hasSize(1);

        SendResponse response = graph.client()
                .send(PHONE_NUMBER_ID, TOKEN, MessageRequests.of(pending.command, false))
                .block(Duration.ofSeconds(30));
        SendScheduler.Finish finish = scheduler.answered(pending, response, NOW);

        assertThat(ErrorClassifier.classify(response)).isEqualTo(ErrorClass.TERMINAL);
        assertThat(finish).isNotNull();
        assertThat(finish.result().getOutcome()).isEqualTo(DispatchOutcome.FAILED);
        assertThat(finish.result().getReason()).isEqualTo(reason);
        assertThat(finish.result().getMetaErrorCode()).isEqualTo(code);
        assertThat(finish.result().getAttempts()).isEqualTo(1);
        assertThat(finish.result().getRetryAfter()).isEqualTo(heldForADay ? NOW.plus(Duration.ofHours(24)) : null);
        assertThat(graph.sandbox().control().accepted()).isEmpty();
    }
}
