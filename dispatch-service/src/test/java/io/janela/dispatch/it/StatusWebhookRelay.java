package io.janela.dispatch.it;

import com.sun.net.httpserver.HttpServer;
import io.janela.avro.DeliveryStatus;
import io.janela.avro.MessageCategory;
import io.janela.avro.MessageStatus;
import io.janela.avro.MetaError;
import io.janela.avro.Pricing;
import io.janela.avro.PricingType;
import io.janela.contract.TopicDescriptor;
import io.janela.sandbox.webhooks.Signature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for the ingress-service in dispatch's integration tests: receives the sandbox's signed status webhooks,
 * checks the signature, and publishes each {@code statuses[]} item on whatsapp.message-statuses as ingress would
 * (answering 200 only once Kafka has the records), so that dispatch sees the status echoes Meta would send.
 */
final class StatusWebhookRelay implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final KafkaProducer<String, MessageStatus> producer;
    private final String topic;

    StatusWebhookRelay(String bootstrapServers, TopicDescriptor<String, MessageStatus> statuses, String appSecret) {
        this.topic = statuses.name();
        this.producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                statuses.valueSerde().serializer());
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/webhook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst(Signature.HEADER);
            int status = 200;
            if (!Signature.sign(appSecret, body).equals(signature)) {
                status = 401;
            } else {
                try {
                    for (ProducerRecord<String, MessageStatus> record : records(body)) {
                        producer.send(record).get(30, TimeUnit.SECONDS);
                    }
                } catch (Exception e) {
                    status = 500;
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook";
    }

    private List<ProducerRecord<String, MessageStatus>> records(byte[] body) {
        List<ProducerRecord<String, MessageStatus>> records = new ArrayList<>();
        for (JsonNode entry : JSON.readTree(body).path("entry").values()) {
            for (JsonNode change : entry.path("changes").values()) {
                JsonNode value = change.path("value");
                String phoneNumberId =
                        value.path("metadata").path("phone_number_id").asString();
                for (JsonNode item : value.path("statuses").values()) {
                    String userId = item.path("recipient_user_id").asString(null);
                    String recipientId = item.path("recipient_id").asString(null);
                    String contactId = userId != null ? userId : recipientId;
                    List<MetaError> errors = new ArrayList<>();
                    for (JsonNode error : item.path("errors").values()) {
                        errors.add(new MetaError(
                                error.path("code").asInt(),
                                error.path("title").asString(null),
                                error.path("message").asString(null),
                                error.path("error_data").path("details").asString(null)));
                    }
                    JsonNode pricing = item.path("pricing");
                    MessageStatus status = MessageStatus.newBuilder()
                            .setMessageId(item.path("id").asString())
                            .setPhoneNumberId(phoneNumberId)
                            .setWabaId(entry.path("id").asString())
                            .setContactId(contactId)
                            .setRecipientId(recipientId)
                            .setRecipientUserId(userId)
                            .setStatus(DeliveryStatus.valueOf(
                                    item.path("status").asString().toUpperCase(Locale.ROOT)))
                            .setTimestamp(Instant.ofEpochSecond(
                                    Long.parseLong(item.path("timestamp").asString())))
                            .setBizOpaqueCallbackData(
                                    item.path("biz_opaque_callback_data").asString(null))
                            .setPricing(
                                    pricing.isMissingNode()
                                            ? null
                                            : new Pricing(
                                                    pricing.path("billable").asBoolean(),
                                                    pricing.path("pricing_model")
                                                            .asString(null),
                                                    PricingType.valueOf(pricing.path("type")
                                                            .asString()
                                                            .toUpperCase(Locale.ROOT)),
                                                    MessageCategory.valueOf(pricing.path("category")
                                                            .asString()
                                                            .toUpperCase(Locale.ROOT))))
                            .setErrors(errors)
                            .setRawJson(item.toString())
                            .build();
                    records.add(new ProducerRecord<>(topic, phoneNumberId + ":" + contactId, status));
                }
            }
        }
        return records;
    }

    @Override
    public void close() {
        server.stop(0);
        producer.close();
    }
}
