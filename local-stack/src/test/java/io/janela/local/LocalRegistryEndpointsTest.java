package io.janela.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each Confluent Schema Registry REST call that clients and tools make, over HTTP, with the answers and error bodies
 * Confluent's API reference documents ({@code {"error_code": 40401, "message": "..."}}; content type
 * {@code application/vnd.schemaregistry.v1+json}).
 */
class LocalRegistryEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBJECT = "whatsapp.outbound-requests-value";
    private static final String V1 =
            "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"t\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";
    private static final String V2_COMPATIBLE = "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"t\",\"fields\":"
            + "[{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\",\"default\":0}]}";
    private static final String V2_INCOMPATIBLE =
            "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"t\",\"fields\":"
                    + "[{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"c\",\"type\":\"int\"}]}";

    @TempDir
    Path data;

    private LocalSchemaRegistryServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = LocalSchemaRegistryServer.start(0, data.resolve("registry.jsonl"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void registersListsAndReadsSubjectsAndVersions() throws Exception {
        Reply first = call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(V1));
        assertThat(first.status).isEqualTo(200);
        int id = first.body.get("id").asInt();
        assertThat(first.contentType).startsWith("application/vnd.schemaregistry.v1+json");

        assertThat(call("GET", "/subjects", null).body)
                .containsExactly(JSON.getNodeFactory().textNode(SUBJECT));
        assertThat(call("GET", "/subjects/" + SUBJECT + "/versions", null).body.toString())
                .isEqualTo("[1]");

        JsonNode version = call("GET", "/subjects/" + SUBJECT + "/versions/1", null).body;
        assertThat(version.get("subject").asText()).isEqualTo(SUBJECT);
        assertThat(version.get("version").asInt()).isEqualTo(1);
        assertThat(version.get("id").asInt()).isEqualTo(id);
        assertThat(JSON.readTree(version.get("schema").asText())).isEqualTo(JSON.readTree(V1));
        assertThat(call("GET", "/subjects/" + SUBJECT + "/versions/latest", null)
                        .body
                        .get("version")
                        .asInt())
                .isEqualTo(1);
        assertThat(call("GET", "/subjects/" + SUBJECT + "/versions/1/schema", null).body)
                .isEqualTo(JSON.readTree(V1));

        Reply lookup = call("POST", "/subjects/" + SUBJECT, schemaBody(V1));
        assertThat(lookup.status).isEqualTo(200);
        assertThat(lookup.body.get("id").asInt()).isEqualTo(id);
    }

    @Test
    void readsSchemasById() throws Exception {
        int id = call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(V1))
                .body
                .get("id")
                .asInt();

        assertThat(JSON.readTree(call("GET", "/schemas/ids/" + id, null)
                        .body
                        .get("schema")
                        .asText()))
                .isEqualTo(JSON.readTree(V1));
        JsonNode versions = call("GET", "/schemas/ids/" + id + "/versions", null).body;
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).get("subject").asText()).isEqualTo(SUBJECT);
        assertThat(versions.get(0).get("version").asInt()).isEqualTo(1);
        assertThat(call("GET", "/schemas/types", null).body.toString()).isEqualTo("[\"AVRO\"]");

        Reply missing = call("GET", "/schemas/ids/9999", null);
        assertThat(missing.status).isEqualTo(404);
        assertThat(missing.body.get("error_code").asInt()).isEqualTo(40403);
    }

    @Test
    void answersTheDocumentedErrors() throws Exception {
        Reply noSubject = call("GET", "/subjects/nothing-value/versions", null);
        assertThat(noSubject.status).isEqualTo(404);
        assertThat(noSubject.body.get("error_code").asInt()).isEqualTo(40401);
        assertThat(noSubject.body.get("message").asText()).isNotBlank();

        call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(V1));
        Reply noVersion = call("GET", "/subjects/" + SUBJECT + "/versions/7", null);
        assertThat(noVersion.status).isEqualTo(404);
        assertThat(noVersion.body.get("error_code").asInt()).isEqualTo(40402);

        Reply badVersion = call("GET", "/subjects/" + SUBJECT + "/versions/zero", null);
        assertThat(badVersion.status).isEqualTo(422);
        assertThat(badVersion.body.get("error_code").asInt()).isEqualTo(42202);

        Reply badSchema = call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody("{\"type\":\"nope\"}"));
        assertThat(badSchema.status).isEqualTo(422);
        assertThat(badSchema.body.get("error_code").asInt()).isEqualTo(42201);

        Reply incompatible = call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(V2_INCOMPATIBLE));
        assertThat(incompatible.status).isEqualTo(409);
    }

    @Test
    void keepsCompatibilityLevelsAndEnforcesThemOnRegistration() throws Exception {
        assertThat(call("GET", "/config", null).body.get("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");
        Reply unset = call("GET", "/config/" + SUBJECT, null);
        assertThat(unset.status).isEqualTo(404);
        assertThat(unset.body.get("error_code").asInt()).isEqualTo(40408);
        assertThat(call("GET", "/config/" + SUBJECT + "?defaultToGlobal=true", null)
                        .body
                        .get("compatibilityLevel")
                        .asText())
                .isEqualTo("BACKWARD");

        Reply set = call("PUT", "/config/" + SUBJECT, "{\"compatibility\":\"NONE\"}");
        assertThat(set.status).isEqualTo(200);
        assertThat(set.body.get("compatibility").asText()).isEqualTo("NONE");
        assertThat(call("GET", "/config/" + SUBJECT, null)
                        .body
                        .get("compatibilityLevel")
                        .asText())
                .isEqualTo("NONE");

        call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(V1));
        assertThat(call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(V2_INCOMPATIBLE)).status)
                .as("NONE lets an incompatible schema in")
                .isEqualTo(200);

        Reply invalid = call("PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}");
        assertThat(invalid.status).isEqualTo(422);
        assertThat(invalid.body.get("error_code").asInt()).isEqualTo(42203);
    }

    @Test
    void testsCompatibilityAgainstTheLatestVersion() throws Exception {
        call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(V1));

        Reply compatible =
                call("POST", "/compatibility/subjects/" + SUBJECT + "/versions/latest", schemaBody(V2_COMPATIBLE));
        assertThat(compatible.status).isEqualTo(200);
        assertThat(compatible.body.get("is_compatible").asBoolean()).isTrue();

        Reply incompatible = call(
                "POST",
                "/compatibility/subjects/" + SUBJECT + "/versions/latest?verbose=true",
                schemaBody(V2_INCOMPATIBLE));
        assertThat(incompatible.body.get("is_compatible").asBoolean()).isFalse();
        assertThat(incompatible.body.get("messages")).isNotEmpty();
    }

    @Test
    void deletesVersionsAndSubjectsSoftlyThenPermanently() throws Exception {
        call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(V1));
        call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(V2_COMPATIBLE));

        assertThat(call("DELETE", "/subjects/" + SUBJECT + "/versions/2", null)
                        .body
                        .asInt())
                .isEqualTo(2);
        assertThat(call("GET", "/subjects/" + SUBJECT + "/versions", null).body.toString())
                .isEqualTo("[1]");
        assertThat(call("GET", "/subjects/" + SUBJECT + "/versions?deleted=true", null)
                        .body
                        .toString())
                .isEqualTo("[1,2]");

        assertThat(call("DELETE", "/subjects/" + SUBJECT, null).body.toString()).isEqualTo("[1]");
        assertThat(call("GET", "/subjects", null).body).isEmpty();
        assertThat(call("GET", "/subjects?deleted=true", null).body).hasSize(1);
        assertThat(call("DELETE", "/subjects/" + SUBJECT + "?permanent=true", null).status)
                .isEqualTo(200);
        assertThat(call("GET", "/subjects?deleted=true", null).body).isEmpty();
    }

    private static String schemaBody(String schema) throws IOException {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private Reply call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Accept", "application/vnd.schemaregistry.v1+json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/vnd.schemaregistry.v1+json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(
                response.statusCode(),
                response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()),
                response.headers().firstValue("Content-Type").orElse(""));
    }

    private record Reply(int status, JsonNode body, String contentType) {}
}
