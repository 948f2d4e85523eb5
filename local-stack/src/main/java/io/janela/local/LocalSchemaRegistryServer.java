package io.janela.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.janela.serde.registry.CompatibilityLevel;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.serde.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry for the local stack, on the loopback interface, speaking the Confluent Schema Registry REST API
 * that Confluent's clients and common tools call ({@link LocalRegistryApi} lists the calls). Its rules are
 * {@link MockSchemaRegistry}'s: global ids, versions per subject, compatibility levels enforced on registration, soft
 * and permanent deletion. It keeps every change (registration, deletion, compatibility level) in a file, one JSON
 * line each, and replays them in order when it starts: the same changes in the same order give the same ids, so the
 * records kept by the local Kafka node stay readable across restarts.
 *
 * <p>Not for production: no authentication, no replication, Avro schemas only.
 */
final class LocalSchemaRegistryServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalSchemaRegistryServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final MockSchemaRegistry registry;
    private final String scope = "local-stack-" + UUID.randomUUID();
    private final Path journal;
    private volatile boolean unavailable;
    private final AtomicLong refused = new AtomicLong();

    private LocalSchemaRegistryServer(HttpServer server, Path journal) {
        this.server = server;
        this.journal = journal;
        this.registry = MockSchemaRegistry.forScope(scope);
    }

    /** Starts on {@code port} (0: any free port), replaying the changes kept in {@code journal}. */
    static LocalSchemaRegistryServer start(int port, Path journal) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            LocalSchemaRegistryServer server = new LocalSchemaRegistryServer(http, journal);
            server.replay();
            LocalRegistryApi api = new LocalRegistryApi(server.registry, server::record);
            http.createContext("/", exchange -> server.handle(exchange, api));
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the schema registry on port " + port, e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * An outage ({@code true}) or its end, for the fault suite: while unavailable every call is answered 503 (error
     * 50301), as a registry behind a load balancer with no healthy instance; nothing is read or written.
     */
    void unavailable(boolean unavailable) {
        this.unavailable = unavailable;
        log.warn(
                unavailable
                        ? "Schema registry outage: answering 503 to every call"
                        : "Schema registry answering again");
    }

    /** How many calls were answered 503 by {@link #unavailable(boolean)} so far. */
    long refused() {
        return refused.get();
    }

    /**
     * Replays the journal. A line without {@code op} is a registration (the only kind the first journals held).
     */
    private void replay() throws IOException {
        if (!Files.exists(journal)) {
            return;
        }
        for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode entry = JSON.readTree(line);
            String subject = entry.path("subject").asText(null);
            switch (entry.path("op").asText("register")) {
                case "register" ->
                    registry.register(
                            subject,
                            new Schema.Parser().parse(entry.get("schema").asText()));
                case "config" -> {
                    CompatibilityLevel level = CompatibilityLevel.valueOf(
                            entry.get("compatibility").asText());
                    if (subject == null) {
                        registry.setGlobalCompatibility(level);
                    } else {
                        registry.setSubjectCompatibility(subject, level);
                    }
                }
                case "delete-config" -> registry.deleteSubjectCompatibility(subject);
                case "delete" -> {
                    boolean permanent = entry.path("permanent").asBoolean(false);
                    if (entry.hasNonNull("version")) {
                        registry.deleteVersion(subject, entry.get("version").asInt(), permanent);
                    } else {
                        registry.deleteSubject(subject, permanent);
                    }
                }
                default -> throw new IOException("unknown entry in " + journal + ": " + line);
            }
        }
    }

    /** Appends one change to the journal, synced, before the caller answers; a failure is the registry's 50001. */
    private void record(ObjectNode entry) {
        try {
            Files.createDirectories(journal.toAbsolutePath().getParent());
            Files.writeString(
                    journal,
                    entry + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException | UncheckedIOException e) {
            log.error("Cannot write the schema registry journal {}: {}", journal, e.toString());
            throw new SchemaRegistryException(
                    500, SchemaRegistryException.STORE_ERROR, "Error while writing to the backend data store");
        }
    }

    private void handle(HttpExchange exchange, LocalRegistryApi api) throws IOException {
        try (exchange) {
            LocalRegistryApi.Answer answer;
            try {
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (unavailable) {
                    refused.incrementAndGet();
                    throw new SchemaRegistryException(503, 50301, "the schema registry is unavailable (an outage)");
                }
                answer = api.call(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(),
                        body);
            } catch (SchemaRegistryException e) {
                answer = LocalRegistryApi.Answer.error(e.httpStatus(), e.errorCode(), e.getMessage());
            } catch (RuntimeException e) {
                log.error(
                        "The local schema registry failed on {} {}",
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(),
                        e);
                answer = LocalRegistryApi.Answer.error(500, 50001, "Error in the backend data store: " + e);
            }
            byte[] bytes = bytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", LocalRegistryApi.CONTENT_TYPE);
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static byte[] bytes(JsonNode body) throws JsonProcessingException {
        return JSON.writeValueAsBytes(body);
    }

    @Override
    public void close() {
        server.stop(0);
        MockSchemaRegistry.dropScope(scope);
    }
}
