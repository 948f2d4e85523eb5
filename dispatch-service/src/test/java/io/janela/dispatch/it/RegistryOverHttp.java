package io.janela.dispatch.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.serde.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import tools.jackson.databind.json.JsonMapper;

/**
 * A test's in-process registry ({@code mock://<scope>}) served over HTTP on the loopback interface, so that a service
 * in a child JVM ({@code schema.registry.url=}{@link #url()}) and the test share one registry: the calls the serdes make
 * (register, look up, read by id), in the Confluent Schema Registry API's shapes.
 */
final class RegistryOverHttp implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MockSchemaRegistry registry;
    private final HttpServer server;
    private volatile boolean unavailable;
    private final AtomicInteger refused = new AtomicInteger();

    RegistryOverHttp(String scope) {
        this.registry = MockSchemaRegistry.forScope(scope);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * An outage ({@code true}) or its end: while unavailable, every call is answered 503, as a registry behind a load
     * balancer with no healthy instance answers (a transient failure to its clients, like a refused connection).
     */
    void unavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    /** How many calls were answered 503 so far. */
    int refused() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getRawPath().substring(1).split("/");
        String method = exchange.getRequestMethod();
        Object answer;
        int status = 200;
        try {
            if (unavailable) {
                refused.incrementAndGet();
                status = 503;
                answer = Map.of("error_code", 50301, "message", "the schema registry is unavailable (a test's outage)");
            } else if (method.equals("GET") && path.length == 3 && path[0].equals("schemas") && path[1].equals("ids")) {
                answer = Map.of(
                        "schema", registry.schemaById(Integer.parseInt(path[2])).toString());
            } else if (method.equals("POST") && path[0].equals("subjects") && path.length >= 2) {
                String subject = URLDecoder.decode(path[1], StandardCharsets.UTF_8);
                Schema schema = new Schema.Parser()
                        .parse(JSON.readTree(exchange.getRequestBody())
                                .get("schema")
                                .asText());
                answer = path.length == 3 && path[2].equals("versions")
                        ? Map.of("id", registry.register(subject, schema))
                        : Map.of("subject", subject, "id", registry.idOf(subject, schema));
            } else {
                status = 404;
                answer = Map.of("error_code", 404, "message", "not served by this stand-in: " + method + " " + path[0]);
            }
        } catch (SchemaRegistryException e) {
            status = e.httpStatus() > 0 ? e.httpStatus() : 500;
            answer = Map.of("error_code", e.errorCode(), "message", String.valueOf(e.getMessage()));
        }
        byte[] body = JSON.writeValueAsBytes(answer);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
