package io.janela.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.janela.avro.OutboundRequest;
import io.janela.avro.Recipient;
import io.janela.avro.TextPayload;
import io.janela.contract.TopicNames;
import io.janela.localkafka.LocalKafkaBroker;
import io.janela.serde.AvroDeserializer;
import io.janela.serde.AvroSerdeConfig;
import io.janela.serde.AvroSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A company's own producer of whatsapp.outbound-requests, configured as production registries require
 * ({@code auto.register.schemas=false}), on a fresh stack: the stack's broker and registry with nothing written yet,
 * then the stack's start-up registration of the contract. The producer is "outside": it knows the registry only over
 * its REST API, asks it for the subject's id as Confluent's serializer does (a lookup of its schema, and the latest
 * version for {@code use.latest.version=true}), frames the Avro bytes in Confluent's wire format itself and writes
 * them with a plain byte-array producer. Janela's deserializer, the one dispatch reads requests with, must read it back.
 * Before the registration the same producer gets 40401, which is what the registration is for.
 */
class OutsideProducerWithoutAutoRegistrationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = TopicNames.defaults().outboundRequests();
    private static final String SUBJECT = TOPIC + "-value";
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    @TempDir
    Path data;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aConfluentFormatProducerWithoutAutoRegistrationIsReadByJanelaFromTheFirstMinute() throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(data.resolve("kafka"), 0, 0, Map.of());
                LocalSchemaRegistryServer registry =
                        LocalSchemaRegistryServer.start(0, data.resolve("schema-registry.jsonl"))) {
            StackTopics.ensure(broker.bootstrapServers(), 1);
            OutboundRequest request = request();

            // Fresh: nothing registered, so a producer that may not register is refused, as Confluent's would be.
            HttpResponse<String> before = lookup(registry.url(), OutboundRequest.SCHEMA$);
            assertThat(before.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(before.body()).path("error_code").asInt()).isEqualTo(40401);
            try (AvroSerializer<OutboundRequest> janelaSerializer = noAutoRegistration(registry.url())) {
                assertThatThrownBy(() -> janelaSerializer.serialize(TOPIC, request))
                        .hasMessageContaining(SUBJECT);
            }

            ContractRegistration.register(registry.url());

            // What Confluent's serializer asks with auto.register.schemas=false: the id of its schema under the
            // subject (POST /subjects/{subject}), or, with use.latest.version=true, the latest version's.
            HttpResponse<String> found = lookup(registry.url(), OutboundRequest.SCHEMA$);
            assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
            int id = JSON.readTree(found.body()).path("id").asInt();
            JsonNode latest = get(registry.url(), "/subjects/" + encoded(SUBJECT) + "/versions/latest");
            assertThat(latest.path("id").asInt()).isEqualTo(id);
            Schema registered = new Schema.Parser().parse(latest.path("schema").asText());
            assertThat(registered).isEqualTo(OutboundRequest.SCHEMA$);

            byte[] framed = confluentWireFormat(id, registered, request);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class))) {
                producer.send(new ProducerRecord<>(TOPIC, request.getRecipient().getPhoneNumber(), framed))
                        .get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            // Janela's own serializer, configured the same way, finds the same id and writes the same bytes.
            try (AvroSerializer<OutboundRequest> janelaSerializer = noAutoRegistration(registry.url())) {
                assertThat(janelaSerializer.serialize(TOPIC, request)).isEqualTo(framed);
            }

            List<ConsumerRecord<String, OutboundRequest>> read = readAll(broker.bootstrapServers(), registry.url(), 1);
            assertThat(read).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("+5511999990000");
                assertThat(record.value()).isEqualTo(request);
            });
            // Nothing was registered on the way: the subject holds the contract's one version.
            assertThat(get(registry.url(), "/subjects/" + encoded(SUBJECT) + "/versions")
                            .toString())
                    .isEqualTo("[1]");
        }
    }

    private static OutboundRequest request() {
        return OutboundRequest.newBuilder()
                .setRequestId("outside-producer-1")
                .setPhoneNumberId(StackService.PHONE_NUMBER_ID)
                .setRecipient(new Recipient("+5511999990000", null))
                .setCreatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setOrigin(io.janela.avro.Origin.AGENT)
                .setPayload(new TextPayload("Hello from our CRM", false))
                .build();
    }

    /** Byte 0, the schema id as 4 big-endian bytes, the Avro binary encoding with the registered schema. */
    private static byte[] confluentWireFormat(int id, Schema schema, OutboundRequest value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<OutboundRequest>(schema).write(value, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static AvroSerializer<OutboundRequest> noAutoRegistration(String registryUrl) {
        AvroSerializer<OutboundRequest> serializer = new AvroSerializer<>();
        serializer.configure(
                Map.of(
                        AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl,
                        AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false,
                        AvroSerdeConfig.USE_LATEST_VERSION, true),
                false);
        return serializer;
    }

    private static List<ConsumerRecord<String, OutboundRequest>> readAll(
            String bootstrapServers, String registryUrl, int expected) {
        AvroDeserializer<OutboundRequest> deserializer = new AvroDeserializer<>();
        deserializer.configure(
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl, AvroSerdeConfig.SPECIFIC_AVRO_READER, true),
                false);
        List<ConsumerRecord<String, OutboundRequest>> records = new ArrayList<>();
        try (KafkaConsumer<String, OutboundRequest> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG, "outside-producer-it",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(),
                deserializer)) {
            consumer.subscribe(List.of(TOPIC));
            Instant deadline = Instant.now().plusSeconds(30);
            while (records.size() < expected && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private HttpResponse<String> lookup(String registryUrl, Schema schema) throws Exception {
        String body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
        return http.send(
                HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/" + encoded(SUBJECT)))
                        .header("Content-Type", CONTENT_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String registryUrl, String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(registryUrl + path))
                        .header("Accept", CONTENT_TYPE)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String encoded(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }
}
