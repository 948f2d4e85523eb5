package io.janela.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janela.serde.registry.CompatibilityLevel;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.serde.registry.RegisteredSchema;
import io.janela.serde.registry.SchemaRegistryException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The Confluent Schema Registry REST API over a {@link MockSchemaRegistry}: the calls Confluent's serializers,
 * deserializers and common tools make, with the registry's answers and error shapes
 * ({@code {"error_code": 40401, "message": "..."}}):
 *
 * <pre>
 * GET    /subjects[?deleted=true]                             GET    /schemas/ids/{id}
 * GET    /subjects/{subject}/versions[?deleted=true]          GET    /schemas/ids/{id}/schema
 * GET    /subjects/{subject}/versions/{version|latest}        GET    /schemas/ids/{id}/versions
 * GET    /subjects/{subject}/versions/{version}/schema        GET    /schemas/ids/{id}/subjects
 * POST   /subjects/{subject}              (look up)           GET    /schemas/types
 * POST   /subjects/{subject}/versions     (register)          GET/PUT /config
 * DELETE /subjects/{subject}[?permanent=true]                 GET/PUT/DELETE /config/{subject}[?defaultToGlobal=true]
 * DELETE /subjects/{subject}/versions/{version}[?permanent=true]
 * POST   /compatibility/subjects/{subject}/versions[/{version|latest}][?verbose=true]
 * GET    /mode                                                GET    /
 * </pre>
 *
 * Every change goes to the {@code journal} before it is answered.
 */
final class LocalRegistryApi {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBJECT = "/subjects/([^/]+)";
    private static final String VERSION = "/versions/([^/]+)";
    private static final Pattern SUBJECTS = Pattern.compile("^/subjects/?$");
    private static final Pattern ONE_SUBJECT = Pattern.compile("^" + SUBJECT + "$");
    private static final Pattern VERSIONS = Pattern.compile("^" + SUBJECT + "/versions/?$");
    private static final Pattern ONE_VERSION = Pattern.compile("^" + SUBJECT + VERSION + "$");
    private static final Pattern VERSION_SCHEMA = Pattern.compile("^" + SUBJECT + VERSION + "/schema$");
    private static final Pattern COMPATIBILITY =
            Pattern.compile("^/compatibility" + SUBJECT + "/versions(?:/([^/]+))?$");
    private static final Pattern BY_ID = Pattern.compile("^/schemas/ids/([^/]+)(/schema|/versions|/subjects)?$");
    private static final Pattern CONFIG = Pattern.compile("^/config(?:/([^/]+))?/?$");
    private static final String INVALID_LEVEL = "Invalid compatibility level. Valid values are none, backward,"
            + " forward, full, backward_transitive, forward_transitive, and full_transitive";

    /** An HTTP answer: its status and JSON body. */
    record Answer(int status, JsonNode body) {
        static Answer ok(JsonNode body) {
            return new Answer(200, body);
        }

        static Answer error(int status, int errorCode, String message) {
            return new Answer(
                    status, JSON.createObjectNode().put("error_code", errorCode).put("message", message));
        }
    }

    private final MockSchemaRegistry registry;
    private final Consumer<ObjectNode> journal;

    LocalRegistryApi(MockSchemaRegistry registry, Consumer<ObjectNode> journal) {
        this.registry = registry;
        this.journal = journal;
    }

    Answer call(String method, String path, String rawQuery, byte[] body) {
        Map<String, String> query = query(rawQuery);
        Matcher m;
        if (path.equals("/") || path.isEmpty()) {
            return only(method, "GET", () -> Answer.ok(JSON.createObjectNode()));
        }
        if (SUBJECTS.matcher(path).matches()) {
            return only(method, "GET", () -> Answer.ok(strings(registry.subjects(flag(query, "deleted")))));
        }
        if ((m = ONE_SUBJECT.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            return switch (method) {
                case "POST" -> Answer.ok(registered(registry.lookup(subject, schemaOf(body), flag(query, "deleted"))));
                case "DELETE" -> Answer.ok(deleteSubject(subject, flag(query, "permanent")));
                default -> notAllowed();
            };
        }
        if ((m = VERSIONS.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            return switch (method) {
                case "GET" -> Answer.ok(numbers(registry.versions(subject, flag(query, "deleted"))));
                case "POST" -> Answer.ok(JSON.createObjectNode().put("id", register(subject, schemaOf(body))));
                default -> notAllowed();
            };
        }
        if ((m = ONE_VERSION.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            String version = decode(m.group(2));
            return switch (method) {
                case "GET" -> Answer.ok(registered(version(subject, version, flag(query, "deleted"))));
                case "DELETE" -> Answer.ok(JSON.getNodeFactory().numberNode(deleteVersion(subject, version, query)));
                default -> notAllowed();
            };
        }
        if ((m = VERSION_SCHEMA.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            String version = decode(m.group(2));
            return only(
                    method,
                    "GET",
                    () -> Answer.ok(raw(
                            version(subject, version, flag(query, "deleted")).schema())));
        }
        if ((m = COMPATIBILITY.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            String version = m.group(2) == null ? null : decode(m.group(2));
            return only(method, "POST", () -> Answer.ok(compatibility(subject, version, body, flag(query, "verbose"))));
        }
        if ((m = BY_ID.matcher(path)).matches()) {
            String id = decode(m.group(1));
            String part = m.group(2);
            return only(method, "GET", () -> Answer.ok(byId(id, part, flag(query, "deleted"))));
        }
        if (path.equals("/schemas/types")) {
            return only(method, "GET", () -> Answer.ok(strings(List.of("AVRO"))));
        }
        if (path.equals("/mode")) {
            return only(method, "GET", () -> Answer.ok(JSON.createObjectNode().put("mode", "READWRITE")));
        }
        if ((m = CONFIG.matcher(path)).matches()) {
            String subject = m.group(1) == null ? null : decode(m.group(1));
            return config(method, subject, body, flag(query, "defaultToGlobal"));
        }
        return Answer.error(404, 404, "HTTP 404 Not Found");
    }

    /**
     * Registers unless the subject already holds the schema; the compatibility check comes before the journal, so
     * that the journal only holds registrations that happened.
     */
    private int register(String subject, Schema schema) {
        synchronized (registry) {
            try {
                return registry.lookup(subject, schema).id();
            } catch (SchemaRegistryException e) {
                if (e.errorCode() != SchemaRegistryException.SUBJECT_NOT_FOUND
                        && e.errorCode() != SchemaRegistryException.SCHEMA_NOT_FOUND) {
                    throw e;
                }
            }
            List<String> problems = registry.compatibilityProblems(subject, OptionalInt.empty(), schema);
            if (problems.isEmpty()) {
                journal.accept(JSON.createObjectNode().put("subject", subject).put("schema", schema.toString()));
            }
            return registry.register(subject, schema); // throws the 409 when there are problems
        }
    }

    private JsonNode deleteSubject(String subject, boolean permanent) {
        synchronized (registry) {
            List<Integer> deleted = registry.deleteSubject(subject, permanent);
            journal.accept(JSON.createObjectNode()
                    .put("op", "delete")
                    .put("subject", subject)
                    .put("permanent", permanent));
            return numbers(deleted);
        }
    }

    private int deleteVersion(String subject, String version, Map<String, String> query) {
        boolean permanent = flag(query, "permanent");
        synchronized (registry) {
            int number = version.equals("latest") || version.equals("-1")
                    ? registry.versions(subject, permanent).getLast()
                    : versionNumber(version);
            registry.deleteVersion(subject, number, permanent);
            journal.accept(JSON.createObjectNode()
                    .put("op", "delete")
                    .put("subject", subject)
                    .put("version", number)
                    .put("permanent", permanent));
            return number;
        }
    }

    private Answer config(String method, String subject, byte[] body, boolean defaultToGlobal) {
        synchronized (registry) {
            switch (method) {
                case "GET" -> {
                    CompatibilityLevel level = subject == null
                            ? registry.globalCompatibility()
                            : registry.subjectCompatibility(subject)
                                    .or(() -> defaultToGlobal
                                            ? java.util.Optional.of(registry.globalCompatibility())
                                            : java.util.Optional.empty())
                                    .orElseThrow(() -> new SchemaRegistryException(
                                            404,
                                            SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                                            "Subject '" + subject
                                                    + "' does not have subject-level compatibility configured"));
                    return Answer.ok(JSON.createObjectNode().put("compatibilityLevel", level.name()));
                }
                case "PUT" -> {
                    JsonNode request = json(body);
                    CompatibilityLevel level = CompatibilityLevel.parse(
                                    request.path("compatibility").asText(null))
                            .orElseThrow(() -> new SchemaRegistryException(
                                    422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL, INVALID_LEVEL));
                    ObjectNode entry = JSON.createObjectNode().put("op", "config");
                    if (subject != null) {
                        entry.put("subject", subject);
                    }
                    journal.accept(entry.put("compatibility", level.name()));
                    if (subject == null) {
                        registry.setGlobalCompatibility(level);
                    } else {
                        registry.setSubjectCompatibility(subject, level);
                    }
                    return Answer.ok(JSON.createObjectNode().put("compatibility", level.name()));
                }
                case "DELETE" -> {
                    if (subject == null) {
                        return notAllowed();
                    }
                    CompatibilityLevel previous = registry.deleteSubjectCompatibility(subject);
                    journal.accept(
                            JSON.createObjectNode().put("op", "delete-config").put("subject", subject));
                    return Answer.ok(JSON.createObjectNode().put("compatibilityLevel", previous.name()));
                }
                default -> {
                    return notAllowed();
                }
            }
        }
    }

    private JsonNode compatibility(String subject, String version, byte[] body, boolean verbose) {
        Schema schema = schemaOf(body);
        OptionalInt number = OptionalInt.empty();
        if (version != null) {
            number = OptionalInt.of(version(subject, version, false).version());
        }
        List<String> problems = registry.compatibilityProblems(subject, number, schema);
        ObjectNode answer = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        if (verbose) {
            answer.set("messages", strings(problems));
        }
        return answer;
    }

    private JsonNode byId(String idText, String part, boolean includeDeleted) {
        int id;
        try {
            id = Integer.parseInt(idText);
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(
                    404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + idText + " not found");
        }
        Schema schema = registry.schemaById(id);
        if (part == null) {
            return JSON.createObjectNode().put("schema", schema.toString());
        }
        return switch (part) {
            case "/schema" -> raw(schema);
            case "/versions" -> {
                ArrayNode versions = JSON.createArrayNode();
                registry.subjectVersionsOf(id, includeDeleted)
                        .forEach(found -> versions.addObject()
                                .put("subject", found.subject())
                                .put("version", found.version()));
                yield versions;
            }
            default ->
                strings(registry.subjectVersionsOf(id, includeDeleted).stream()
                        .map(MockSchemaRegistry.SubjectVersion::subject)
                        .distinct()
                        .toList());
        };
    }

    /** {@code latest} (or -1) is the subject's newest live version; any other text must be a version number. */
    private RegisteredSchema version(String subject, String version, boolean includeDeleted) {
        if (version.equals("latest") || version.equals("-1")) {
            return registry.latest(subject);
        }
        return registry.version(subject, versionNumber(version), includeDeleted);
    }

    private static int versionNumber(String version) {
        try {
            int number = Integer.parseInt(version);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new SchemaRegistryException(
                422,
                SchemaRegistryException.INVALID_VERSION,
                "The specified version '" + version + "' is not a valid version id. Allowed values are between [1,"
                        + " 2^31-1] and the string \"latest\"");
    }

    /** The schema of a register, look-up or compatibility request: Avro only, without references. */
    private static Schema schemaOf(byte[] body) {
        JsonNode request = json(body);
        String type = request.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new SchemaRegistryException(
                    422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema type " + type + ": AVRO only here");
        }
        if (request.path("references").size() > 0) {
            throw new SchemaRegistryException(
                    422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: references are not supported here");
        }
        if (!request.hasNonNull("schema") || request.get("schema").asText().isBlank()) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Empty schema");
        }
        try {
            return new Schema.Parser().parse(request.get("schema").asText());
        } catch (SchemaParseException | IllegalArgumentException e) {
            throw new SchemaRegistryException(
                    422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
        }
    }

    private static JsonNode json(byte[] body) {
        try {
            JsonNode request = body.length == 0 ? null : JSON.readTree(body);
            if (request == null || !request.isObject()) {
                throw new SchemaRegistryException(400, 400, "The request body must be a JSON object");
            }
            return request;
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException(400, 400, "Unreadable JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new SchemaRegistryException(400, 400, "Unreadable JSON: " + e.getMessage());
        }
    }

    private static JsonNode registered(RegisteredSchema found) {
        return JSON.createObjectNode()
                .put("subject", found.subject())
                .put("version", found.version())
                .put("id", found.id())
                .put("schema", found.schema().toString());
    }

    /** The schema itself as the body, as the {@code .../schema} calls answer. */
    private static JsonNode raw(Schema schema) {
        try {
            return JSON.readTree(schema.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Avro wrote a schema that is not JSON", e);
        }
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static ArrayNode numbers(List<Integer> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static Answer only(String method, String allowed, java.util.function.Supplier<Answer> call) {
        return method.equals(allowed) ? call.get() : notAllowed();
    }

    private static Answer notAllowed() {
        return Answer.error(405, 405, "HTTP 405 Method Not Allowed");
    }

    private static boolean flag(Map<String, String> query, String name) {
        return Boolean.parseBoolean(query.getOrDefault(name, "false"));
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                } else if (!pair.isEmpty()) {
                    query.put(decode(pair), "true");
                }
            }
        }
        return query;
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }
}
