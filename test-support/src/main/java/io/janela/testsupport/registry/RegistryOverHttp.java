package io.janela.testsupport.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * A test's in-process schema registry served over HTTP on the loopback interface, so that a service in a child JVM
 * ({@code schema.registry.url=}{@link #url()}) and the test share one registry: the calls the serdes make (register,
 * look up, read by id), in the Confluent Schema Registry API's shapes. test-support does not know the registry
 * (it lives in schemas, which tests with test-support): the caller hands in its three calls, as in
 * {@code new RegistryOverHttp(id -> mock.schemaById(id).toString(), (subject, schema) -> mock.register(subject,
 * parse(schema)), (subject, schema) -> mock.idOf(subject, parse(schema)), errors)}.
 */
public final class RegistryOverHttp implements AutoCloseable {

    /** A registry call that takes a subject and a schema (its JSON text) and answers an id. */
    @FunctionalInterface
    public interface SubjectCall {
        int apply(String subject, String schema);
    }

    /** How a registry's exception answers: HTTP status and Confluent error code; null for an unexpected one. */
    public record Failure(int status, int errorCode) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<Integer, String> schemaById;
    private final SubjectCall register;
    private final SubjectCall idOf;
    private final Function<RuntimeException, Failure> failures;
    private final HttpServer server;

    public RegistryOverHttp(
            Function<Integer, String> schemaById,
            SubjectCall register,
            SubjectCall idOf,
            Function<RuntimeException, Failure> failures) {
        this.schemaById = schemaById;
        this.register = register;
        this.idOf = idOf;
        this.failures = failures;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getRawPath().substring(1).split("/");
        String method = exchange.getRequestMethod();
        Object answer;
        int status = 200;
        try {
            if (method.equals("GET") && path.length == 3 && path[0].equals("schemas") && path[1].equals("ids")) {
                answer = Map.of("schema", schemaById.apply(Integer.parseInt(path[2])));
            } else if (method.equals("POST") && path[0].equals("subjects") && path.length >= 2) {
                String subject = URLDecoder.decode(path[1], StandardCharsets.UTF_8);
                String schema =
                        JSON.readTree(exchange.getRequestBody()).get("schema").asText();
                answer = path.length == 3 && path[2].equals("versions")
                        ? Map.of("id", register.apply(subject, schema))
                        : Map.of("subject", subject, "id", idOf.apply(subject, schema));
            } else {
                status = 404;
                answer = Map.of("error_code", 404, "message", "not served by this stand-in: " + method + " " + path[0]);
            }
        } catch (RuntimeException e) {
            Failure failure = failures.apply(e);
            if (failure == null) {
                throw e;
            }
            status = failure.status() > 0 ? failure.status() : 500;
            answer = Map.of("error_code", failure.errorCode(), "message", String.valueOf(e.getMessage()));
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
