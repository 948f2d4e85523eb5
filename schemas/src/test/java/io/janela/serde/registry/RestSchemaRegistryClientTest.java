package io.janela.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.janela.avro.ContactAlias;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The REST client against a local server answering as the Confluent Schema Registry API documents. */
class RestSchemaRegistryClientTest {

    private static final Schema SCHEMA = ContactAlias.SCHEMA$;
    private static final String SCHEMA_JSON =
            new ObjectMapper().valueToTree(SCHEMA.toString()).toString();

    private final StubRegistryServer server = new StubRegistryServer();

    RestSchemaRegistryClientTest() throws IOException {}

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void registersASchemaAndReturnsItsId() throws IOException {
        server.answer("POST", "/subjects/whatsapp.contact-aliases-value/versions", 200, "{\"id\":7}");

        int id = client(server.uri()).register("whatsapp.contact-aliases-value", SCHEMA);

        assertThat(id).isEqualTo(7);
        StubRegistryServer.Request request = server.requests().getFirst();
        assertThat(request.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.header("Accept")).startsWith("application/vnd.schemaregistry.v1+json");
        assertThat(new Schema.Parser()
                        .parse(new ObjectMapper()
                                .readTree(request.body())
                                .get("schema")
                                .asText()))
                .isEqualTo(SCHEMA);
    }

    @Test
    void looksUpTheIdOfARegisteredSchema() {
        server.answer(
                "POST",
                "/subjects/s-value",
                200,
                "{\"subject\":\"s-value\",\"id\":7,\"version\":2,\"schema\":" + SCHEMA_JSON + "}");

        assertThat(client(server.uri()).idOf("s-value", SCHEMA)).isEqualTo(7);
    }

    @Test
    void fetchesASchemaById() {
        server.answer("GET", "/schemas/ids/7", 200, "{\"schema\":" + SCHEMA_JSON + "}");

        assertThat(client(server.uri()).schemaById(7)).isEqualTo(SCHEMA);
    }

    @Test
    void fetchesTheLatestVersionOfASubject() {
        server.answer(
                "GET",
                "/subjects/s-value/versions/latest",
                200,
                "{\"subject\":\"s-value\",\"id\":9,\"version\":3,\"schema\":" + SCHEMA_JSON + "}");

        assertThat(client(server.uri()).latest("s-value")).isEqualTo(new RegisteredSchema("s-value", 9, 3, SCHEMA));
    }

    @Test
    void reportsSubjectNotFound() {
        server.answer(
                "GET",
                "/subjects/missing-value/versions/latest",
                404,
                "{\"error_code\":40401,\"message\":\"Subject 'missing-value' not found.\"}");

        assertThatThrownBy(() -> client(server.uri()).latest("missing-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e).hasMessageContaining("Subject 'missing-value' not found.");
                });
    }

    @Test
    void reportsSchemaNotFound() {
        server.answer("GET", "/schemas/ids/99", 404, "{\"error_code\":40403,\"message\":\"Schema 99 not found\"}");

        assertThatThrownBy(() -> client(server.uri()).schemaById(99))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    }

    @Test
    void reportsAnInvalidSchema() {
        server.answer(
                "POST",
                "/subjects/s-value/versions",
                422,
                "{\"error_code\":42201,\"message\":\"Either the input schema or one its references is invalid\"}");

        assertThatThrownBy(() -> client(server.uri()).register("s-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(422);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INVALID_SCHEMA);
                    assertThat(e.isTransient()).isFalse();
                });
    }

    @Test
    void reportsAnIncompatibleSchema() {
        server.answer(
                "POST",
                "/subjects/s-value/versions",
                409,
                "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema for"
                        + " subject \\\"s-value\\\"\"}");

        assertThatThrownBy(() -> client(server.uri()).register("s-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
                    assertThat(e).hasMessageContaining("incompatible with an earlier schema");
                });
    }

    @Test
    void treatsServerErrorsAsTransient() {
        server.answer("GET", "/schemas/ids/7", 500, "{\"error_code\":50001,\"message\":\"Error in the backend\"}");

        assertThatThrownBy(() -> client(server.uri()).schemaById(7))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(50001);
                    assertThat(e.isTransient()).isTrue();
                });
    }

    @Test
    void treatsAnAnswerThatIsNotJsonAsAnErrorWithItsStatus() {
        server.answer("GET", "/schemas/ids/7", 502, "<html>Bad Gateway</html>");

        assertThatThrownBy(() -> client(server.uri()).schemaById(7))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(502);
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e).hasMessageContaining("Bad Gateway");
                });
    }

    @Test
    void sendsBasicAuthentication() {
        server.answer("GET", "/schemas/ids/7", 200, "{\"schema\":" + SCHEMA_JSON + "}");
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                List.of(server.uri()), Optional.of("svc:s3cret"), Duration.ofSeconds(2), Duration.ofSeconds(2));

        client.schemaById(7);

        assertThat(server.requests().getFirst().header("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("svc:s3cret".getBytes()));
    }

    @Test
    void triesTheNextUrlWhenOneCannotBeReached() throws IOException {
        server.answer("GET", "/schemas/ids/7", 200, "{\"schema\":" + SCHEMA_JSON + "}");

        assertThat(client(closedPort(), server.uri()).schemaById(7)).isEqualTo(SCHEMA);
    }

    @Test
    void reportsAnUnreachableRegistryAsTransient() throws IOException {
        assertThatThrownBy(() -> client(closedPort()).schemaById(7))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isZero();
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e).hasMessageContaining("unreachable");
                });
    }

    private static RestSchemaRegistryClient client(URI... uris) {
        return new RestSchemaRegistryClient(
                List.of(uris), Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    private static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }
}
