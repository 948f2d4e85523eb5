package io.janela.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.contract.JanelaTopics;
import io.janela.ingress.signature.SignatureVerifier;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testsupport.kafka.RestartableKafkaBroker;
import io.janela.testsupport.kafka.TopicReader;
import io.janela.testsupport.kafka.UsesKafkaBroker;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Meta's retry after an outage must land every record exactly once. The producer's delivery timeout equals the
 * publish timeout, so by the time a request is answered 503 the producer has dropped its records; they cannot reach
 * the broker when it comes back and double what the retry writes.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.properties.schema.registry.url=mock://" + BrokerOutageIT.SCOPE,
            "janela.ingress.app-secrets=" + TestWebhooks.APP_SECRET,
            "janela.ingress.verify-token=" + TestWebhooks.VERIFY_TOKEN,
            "janela.ingress.publish-timeout=3s",
            "janela.ingress.topics.partitions=2"
        })
@AutoConfigureWebTestClient
@UsesKafkaBroker(restartable = true)
class BrokerOutageIT {

    static final String SCOPE = "broker-outage-it";
    private static final Duration GENEROUS = Duration.ofSeconds(60);

    @Autowired
    WebTestClient http;

    @Autowired
    RestartableKafkaBroker broker;

    @Autowired
    JanelaTopics topics;

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void answers503WhileTheBrokerIsDownAndARetryAfterItIsBackLandsEverythingOnce() {
        byte[] before = TestWebhooks.load("messages/text.json");
        byte[] during = TestWebhooks.load("batches/mixed-batch.json");
        // Before the outage: the producer knows the topics and the serdes their schemas.
        assertThat(post(before)).isEqualTo(HttpStatusCode.valueOf(200));

        broker.stop();
        HttpStatusCode whileDown = post(during);
        broker.restart();
        // Meta retries until it gets a 200. Right after the restart the producer may still be reconnecting, and a retry
        // may get 503 again: that is the same situation, and must not double anything either.
        Awaitility.await()
                .atMost(GENEROUS)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> post(during).value() == 200);

        assertThat(whileDown).isEqualTo(HttpStatusCode.valueOf(503));
        assertLandedOnce(topics.inboundMessages().name(), 1 + 4, "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzMIX1");
        assertLandedOnce(topics.messageStatuses().name(), 2, null);
        assertLandedOnce(topics.userPreferences().name(), 1, null);
        assertLandedOnce(topics.templateEvents().name(), 1, null);
    }

    private void assertLandedOnce(String topic, int expected, String messageIdOnce) {
        try (TopicReader<String, byte[]> reader = TopicReader.open(
                broker.bootstrapServers(), topic, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<ConsumerRecord<String, byte[]>> landed = reader.awaitRecords(expected, GENEROUS);
            // The records of the request answered 503 expired in the producer: nothing more comes.
            reader.assertNoMoreRecords(Duration.ofSeconds(5));
            assertThat(landed).hasSize(expected);
            if (messageIdOnce != null) {
                assertThat(landed.stream()
                                .filter(record -> new String(record.value(), java.nio.charset.StandardCharsets.UTF_8)
                                        .contains(messageIdOnce)))
                        .hasSize(1);
            }
        }
    }

    private HttpStatusCode post(byte[] body) {
        return http.mutate()
                .responseTimeout(GENEROUS)
                .build()
                .post()
                .uri("/webhooks/whatsapp")
                .contentType(MediaType.APPLICATION_JSON)
                .header(SignatureVerifier.HEADER, TestWebhooks.signature(body))
                .bodyValue(body)
                .exchange()
                .returnResult(Void.class)
                .getStatus();
    }
}
