package io.janela.local.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.janela.avro.ConversationResolution;
import io.janela.avro.OutboundRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The local stack's developer endpoint, on the loopback interface: {@code POST /outbound} takes an outbound request in
 * {@link OutboundJson}'s shape and publishes it to whatsapp.outbound-requests, and {@code POST /resolutions} a
 * conversation resolution in {@link ResolutionJson}'s shape to whatsapp.conversation-resolutions, so that nobody has
 * to write Kafka code to try the stack. Answers 202 {@code {requestId | resolutionId, topic, partition, offset}} once
 * the broker has it; 400 with the reason for a body it cannot turn into a record; 503 when the broker did not take
 * it. Not part of Janela: in
 * production, company systems produce to the topic.
 */
public final class DevEndpoint implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final OutboundPublisher publisher;
    private final String phoneNumberId;
    private final Clock clock;

    private DevEndpoint(HttpServer server, OutboundPublisher publisher, String phoneNumberId, Clock clock) {
        this.server = server;
        this.publisher = publisher;
        this.phoneNumberId = phoneNumberId;
        this.clock = clock;
    }

    public static DevEndpoint start(int port, OutboundPublisher publisher, String defaultPhoneNumberId) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            DevEndpoint endpoint = new DevEndpoint(http, publisher, defaultPhoneNumberId, Clock.systemUTC());
            http.createContext("/outbound", endpoint::handle);
            http.createContext("/resolutions", endpoint::handleResolution);
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.start();
            return endpoint;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the dev endpoint on port " + port, e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/outbound";
    }

    /** Where a conversation resolution is posted ({@link ResolutionJson}'s shape). */
    public String resolutionsUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/resolutions";
    }

    private void handle(HttpExchange exchange) throws IOException {
        accept(exchange, "POST an outbound request", body -> {
            OutboundRequest request = OutboundJson.parse(body, phoneNumberId, clock.instant());
            return new Publishable("requestId", request.getRequestId(), () -> publisher.publish(request));
        });
    }

    private void handleResolution(HttpExchange exchange) throws IOException {
        accept(exchange, "POST a conversation resolution", body -> {
            ConversationResolution resolution = ResolutionJson.parse(body, phoneNumberId, clock.instant());
            return new Publishable("resolutionId", resolution.getResolutionId(), () -> publisher.publish(resolution));
        });
    }

    /** A record parsed from a body: its id (named {@code idField} in the answer) and how to publish it. */
    private record Publishable(String idField, String id, Supplier<RecordMetadata> publish) {}

    private interface BodyParser {
        Publishable parse(JsonNode body);
    }

    private void accept(HttpExchange exchange, String usage, BodyParser parser) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                respond(exchange, 405, error(usage));
                return;
            }
            Publishable record;
            try {
                record = parser.parse(JSON.readTree(exchange.getRequestBody()));
            } catch (IOException | IllegalArgumentException e) {
                respond(exchange, 400, error(e.getMessage()));
                return;
            }
            try {
                RecordMetadata written = record.publish().get();
                respond(
                        exchange,
                        202,
                        JSON.createObjectNode()
                                .put(record.idField(), record.id())
                                .put("topic", written.topic())
                                .put("partition", written.partition())
                                .put("offset", written.offset()));
            } catch (IllegalStateException e) {
                respond(exchange, 503, error(e.getMessage()));
            }
        }
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
