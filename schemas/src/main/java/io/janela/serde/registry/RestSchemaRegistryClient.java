package io.janela.serde.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Talks to a registry that speaks the Confluent Schema Registry REST API (Confluent, Apicurio's ccompat API,
 * Karapace, Redpanda). With several base URLs, a URL that cannot be reached is skipped for the next; an HTTP error
 * answer is final. Caches nothing: wrap it in {@link CachingSchemaRegistryClient}.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryAdmin {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUris;
    private final Optional<String> authorization;
    private final Duration requestTimeout;
    private final HttpClient http;

    /**
     * @param baseUris registry base URLs, without credentials
     * @param basicAuthUserInfo {@code user:password} for HTTP basic authentication, if the registry needs it
     */
    public RestSchemaRegistryClient(
            List<URI> baseUris, Optional<String> basicAuthUserInfo, Duration connectTimeout, Duration requestTimeout) {
        if (baseUris.isEmpty()) {
            throw new IllegalArgumentException("at least one schema registry URL is needed");
        }
        this.baseUris = List.copyOf(baseUris);
        this.authorization = basicAuthUserInfo.map(
                userInfo -> "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public int register(String subject, Schema schema) {
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        return requiredInt(answer, "id");
    }

    @Override
    public int idOf(String subject, Schema schema) {
        JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
        return requiredInt(answer, "id");
    }

    @Override
    public Schema schemaById(int id) {
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        return parse(requiredText(answer, "schema"), "schema id " + id);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        return new RegisteredSchema(
                subject,
                requiredInt(answer, "id"),
                requiredInt(answer, "version"),
                parse(requiredText(answer, "schema"), "latest version of " + subject));
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        send("GET", "/subjects", null).forEach(subject -> subjects.add(subject.asText()));
        return subjects;
    }

    @Override
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        send("GET", "/subjects/" + encode(subject) + "/versions", null)
                .forEach(version -> versions.add(version.asInt()));
        return versions;
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return registered(subject, send("GET", "/subjects/" + encode(subject) + "/versions/" + version, null));
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        return registered(subject, send("POST", "/subjects/" + encode(subject), schemaBody(schema)));
    }

    @Override
    public Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        try {
            return Optional.of(level(send("GET", "/config/" + encode(subject), null)));
        } catch (SchemaRegistryException e) {
            // 40408 since Confluent 7; older registries (and some compatible ones) answer 40401 instead.
            if (e.errorCode() == SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED
                    || e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        return level(send("GET", "/config", null));
    }

    @Override
    public void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
        send("PUT", "/config/" + encode(subject), body.toString());
    }

    private RegisteredSchema registered(String subject, JsonNode answer) {
        return new RegisteredSchema(
                subject,
                requiredInt(answer, "id"),
                requiredInt(answer, "version"),
                parse(requiredText(answer, "schema"), "version of " + subject));
    }

    /** GET /config answers {@code compatibilityLevel}; PUT answers {@code compatibility}. */
    private static CompatibilityLevel level(JsonNode answer) {
        String name = answer.hasNonNull("compatibilityLevel")
                ? answer.get("compatibilityLevel").asText()
                : answer.path("compatibility").asText(null);
        return CompatibilityLevel.parse(name)
                .orElseThrow(() -> new SchemaRegistryException(
                        200, 0, "schema registry answered an unknown compatibility level: " + answer));
    }

    private static String schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString()); // no schemaType: AVRO is the registry's default
        return body.toString();
    }

    private JsonNode send(String method, String path, String body) {
        IOException unreachable = null;
        for (URI base : baseUris) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stripSlash(base.toString()) + path))
                    .timeout(requestTimeout)
                    .header("Accept", ACCEPT)
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE);
            }
            authorization.ifPresent(value -> request.header("Authorization", value));
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                unreachable = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while calling the schema registry", e);
            }
            return answer(method, path, response);
        }
        throw new SchemaRegistryException(
                "schema registry unreachable at " + baseUris + " (" + method + " " + path + "): " + unreachable,
                unreachable);
    }

    private static JsonNode answer(String method, String path, HttpResponse<String> response) {
        JsonNode json = readJson(response.body());
        if (response.statusCode() / 100 == 2 && json != null) {
            return json;
        }
        int errorCode = json != null && json.path("error_code").canConvertToInt()
                ? json.path("error_code").asInt()
                : response.statusCode();
        String message =
                json != null && json.hasNonNull("message") ? json.get("message").asText() : abbreviate(response.body());
        throw new SchemaRegistryException(
                response.statusCode(),
                errorCode,
                "schema registry answered " + response.statusCode() + " (error " + errorCode + ") to " + method + " "
                        + path + ": " + message);
    }

    private static JsonNode readJson(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static int requiredInt(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException(200, 0, "schema registry answer lacks the integer '" + field + "'");
        }
        return value.asInt();
    }

    private static String requiredText(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.isTextual()) {
            throw new SchemaRegistryException(200, 0, "schema registry answer lacks the string '" + field + "'");
        }
        return value.asText();
    }

    private static Schema parse(String schema, String what) {
        try {
            return new Schema.Parser().parse(schema);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(
                    200, 0, "the registry's " + what + " is not a valid Avro schema: " + e.getMessage());
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String stripSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "(no body)";
        }
        return body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }
}
