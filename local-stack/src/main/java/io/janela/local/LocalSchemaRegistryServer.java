package io.janela.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.serde.registry.RegisteredSchema;
import io.janela.serde.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A schema registry for the local stack, speaking the part of the Confluent Schema Registry REST API that Janela's
 * serde (and Confluent's) uses, on the loopback interface. Its rules are {@link MockSchemaRegistry}'s (global ids,
 * versions per subject, BACKWARD compatibility). It keeps every registration in a file, one JSON line each, and
 * replays them in order when it starts: the same registrations in the same order give the same ids, so the records
 * kept by the local Kafka node stay readable across restarts.
 *
 * <p>Not for production: no authentication, no replication, no schema deletion.
 */
final class LocalSchemaRegistryServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Pattern REGISTER = Pattern.compile("^/subjects/([^/]+)/versions$");
    private static final Pattern LOOKUP = Pattern.compile("^/subjects/([^/]+)$");
    private static final Pattern LATEST = Pattern.compile("^/subjects/([^/]+)/versions/latest$");
    private static final Pattern BY_ID = Pattern.compile("^/schemas/ids/(\\d+)$");

    private final HttpServer server;
    private final MockSchemaRegistry registry;
    private final String scope = "local-stack-" + UUID.randomUUID();
    private final Path journal;

    private LocalSchemaRegistryServer(HttpServer server, Path journal) {
        this.server = server;
        this.journal = journal;
        this.registry = MockSchemaRegistry.forScope(scope);
    }

    /** Starts on {@code port} (0: any free port), replaying the registrations kept in {@code journal}. */
    static LocalSchemaRegistryServer start(int port, Path journal) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            LocalSchemaRegistryServer server = new LocalSchemaRegistryServer(http, journal);
            server.replay();
            http.createContext("/", server::handle);
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

    private void replay() throws IOException {
        if (!Files.exists(journal)) {
            return;
        }
        for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode entry = JSON.readTree(line);
                registry.register(
                        entry.get("subject").asText(),
                        new Schema.Parser().parse(entry.get("schema").asText()));
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            try {
                Matcher matcher;
                if (method.equals("POST") && (matcher = REGISTER.matcher(path)).matches()) {
                    String subject = decode(matcher.group(1));
                    Schema schema = schemaOf(exchange);
                    int id = register(subject, schema);
                    respond(exchange, 200, JSON.createObjectNode().put("id", id));
                } else if (method.equals("POST") && (matcher = LOOKUP.matcher(path)).matches()) {
                    RegisteredSchema found = registry.lookup(decode(matcher.group(1)), schemaOf(exchange));
                    respond(exchange, 200, registered(found.subject(), found.id(), found.version(), found.schema()));
                } else if (method.equals("GET") && (matcher = LATEST.matcher(path)).matches()) {
                    RegisteredSchema latest = registry.latest(decode(matcher.group(1)));
                    respond(
                            exchange,
                            200,
                            registered(latest.subject(), latest.id(), latest.version(), latest.schema()));
                } else if (method.equals("GET") && (matcher = BY_ID.matcher(path)).matches()) {
                    Schema schema = registry.schemaById(Integer.parseInt(matcher.group(1)));
                    respond(exchange, 200, JSON.createObjectNode().put("schema", schema.toString()));
                } else {
                    respond(exchange, 404, error(404, "HTTP 404 Not Found"));
                }
            } catch (SchemaRegistryException e) {
                respond(exchange, e.httpStatus(), error(e.errorCode(), e.getMessage()));
            } catch (SchemaParseException | IllegalArgumentException e) {
                respond(
                        exchange,
                        422,
                        error(SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage()));
            }
        }
    }

    /** Registers and, when that added a version, appends it to the journal before answering. */
    private synchronized int register(String subject, Schema schema) throws IOException {
        int versionsBefore = versionCount(subject);
        int id = registry.register(subject, schema);
        if (versionCount(subject) > versionsBefore) {
            ObjectNode entry = JSON.createObjectNode().put("subject", subject).put("schema", schema.toString());
            Files.createDirectories(journal.toAbsolutePath().getParent());
            Files.writeString(
                    journal,
                    entry + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        }
        return id;
    }

    private int versionCount(String subject) {
        try {
            return registry.latest(subject).version();
        } catch (SchemaRegistryException e) {
            return 0;
        }
    }

    private static Schema schemaOf(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        if (body == null || !body.hasNonNull("schema")) {
            throw new IllegalArgumentException("the request has no 'schema'");
        }
        return new Schema.Parser().parse(body.get("schema").asText());
    }

    private static ObjectNode registered(String subject, int id, int version, Schema schema) {
        return JSON.createObjectNode()
                .put("subject", subject)
                .put("id", id)
                .put("version", version)
                .put("schema", schema.toString());
    }

    private static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        MockSchemaRegistry.dropScope(scope);
    }
}
