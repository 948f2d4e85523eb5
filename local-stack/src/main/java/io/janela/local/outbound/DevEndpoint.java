package io.janela.local.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.janela.avro.OutboundRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The local stack's developer endpoint, on the loopback interface: {@code POST /outbound} takes an outbound request in
 * {@link OutboundJson}'s shape and publishes it to whatsapp.outbound-requests, so that nobody has to write Kafka code
 * to try the stack. Answers 202 {@code {requestId, topic, partition, offset}} once the broker has it; 400 with the
 * reason for a body it cannot turn into a request; 503 when the broker did not take it. Not part of Janela: in
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

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                respond(exchange, 405, error("POST an outbound request"));
                return;
            }
            OutboundRequest request;
            try {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                request = OutboundJson.parse(body, phoneNumberId, clock.instant());
            } catch (IOException | IllegalArgumentException e) {
                respond(exchange, 400, error(e.getMessage()));
                return;
            }
            try {
                RecordMetadata written = publisher.publish(request);
                respond(
                        exchange,
                        202,
                        JSON.createObjectNode()
                                .put("requestId", request.getRequestId())
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
