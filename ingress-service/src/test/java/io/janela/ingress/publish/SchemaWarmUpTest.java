package io.janela.ingress.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.serde.registry.MockSchemaRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

class SchemaWarmUpTest {

    private static final String SCOPE = "schema-warm-up-test";

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void registersTheSchemaOfEveryTopicAtStart() {
        SchemaWarmUp warmUp = new SchemaWarmUp(outgoing(Map.of("schema.registry.url", "mock://" + SCOPE)));

        warmUp.start(Schedulers.immediate(), Duration.ofSeconds(5));

        assertThat(warmUp.done()).isTrue();
        MockSchemaRegistry registry = MockSchemaRegistry.forScope(SCOPE);
        for (String subject : List.of(
                "whatsapp.inbound-messages-value",
                "whatsapp.message-statuses-value",
                "whatsapp.template-events-value",
                "whatsapp.user-preferences-value",
                "whatsapp.call-events-value",
                "whatsapp.message-echoes-value")) {
            assertThat(registry.latest(subject).version()).as(subject).isEqualTo(1);
        }
    }

    @Test
    void keepsTryingWhileTheRegistryDoesNotAnswer() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        OutgoingRecords unreachable = outgoing(Map.of(
                "schema.registry.url", "http://127.0.0.1:9",
                "http.connect.timeout.ms", "200",
                "http.read.timeout.ms", "200"));
        SchemaWarmUp warmUp = new SchemaWarmUp(unreachable);

        warmUp.start(time, Duration.ofSeconds(5));
        time.advanceTime();
        time.advanceTimeBy(Duration.ofSeconds(5));

        assertThat(warmUp.done()).isFalse();
        assertThat(time.getScheduledTaskCount())
                .as("attempts so far, the next one waiting")
                .isGreaterThanOrEqualTo(3);
    }

    private static OutgoingRecords outgoing(Map<String, String> serdeConfig) {
        return new OutgoingRecords(
                JanelaTopics.create(TopicNames.defaults(), ValueSerdes.janela(serdeConfig)),
                Clock.systemUTC(),
                "ingress-service");
    }
}
