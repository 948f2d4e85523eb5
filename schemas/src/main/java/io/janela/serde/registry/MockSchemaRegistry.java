package io.janela.serde.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;

/**
 * An in-process registry for tests and the local stack, selected with {@code schema.registry.url=mock://<scope>}
 * as with Confluent's serde. Every client of one scope in one JVM sees the same registry; {@link #dropScope} forgets
 * it. It keeps the Confluent Schema Registry's rules: ids are global and shared by equal schemas, versions count per
 * subject, a subject's compatibility level (its own, else the global one, BACKWARD by default) is enforced when a
 * schema is registered (409), versions can be soft-deleted (hidden, their ids still readable) and then permanently
 * deleted, and every failure carries the registry's error code. Thread-safe.
 */
public final class MockSchemaRegistry implements SchemaRegistryAdmin {

    private static final ConcurrentMap<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    /** A version of a subject: the global id of its schema, and whether it was soft-deleted. */
    private record Entry(int id, boolean deleted) {}

    private static final class Subject {
        final TreeMap<Integer, Entry> versions = new TreeMap<>();
        CompatibilityLevel compatibility;

        List<Integer> numbers(boolean includeDeleted) {
            return versions.entrySet().stream()
                    .filter(entry -> includeDeleted || !entry.getValue().deleted())
                    .map(Map.Entry::getKey)
                    .toList();
        }
    }

    /** A subject and one of its versions: where a schema id is used ({@code GET /schemas/ids/{id}/versions}). */
    public record SubjectVersion(String subject, int version) {}

    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Subject> subjects = new TreeMap<>();
    private CompatibilityLevel globalCompatibility = CompatibilityLevel.BACKWARD;

    private MockSchemaRegistry() {}

    /** The registry of this scope, created on first use. */
    public static MockSchemaRegistry forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, name -> new MockSchemaRegistry());
    }

    /** Forgets the scope's registry: the next {@link #forScope} starts empty. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        Subject held = subjects.computeIfAbsent(subject, name -> new Subject());
        Integer existing = idsBySchema.get(schema);
        if (existing != null) {
            for (Entry entry : held.versions.values()) {
                if (!entry.deleted() && entry.id() == existing) {
                    return existing;
                }
            }
        }
        List<String> problems = effectiveCompatibility(subject).problems(schema, liveSchemas(held));
        if (!problems.isEmpty()) {
            if (held.versions.isEmpty() && held.compatibility == null) {
                subjects.remove(subject);
            }
            throw new SchemaRegistryException(
                    409,
                    SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                            + "\", details: " + problems);
        }
        int id = existing != null ? existing : schemasById.size() + 1;
        idsBySchema.put(schema, id);
        schemasById.put(id, schema);
        int version = held.versions.isEmpty() ? 1 : held.versions.lastKey() + 1;
        held.versions.put(version, new Entry(id, false));
        return id;
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        return lookup(subject, schema).id();
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, Schema schema) {
        return lookup(subject, schema, false);
    }

    /** {@code POST /subjects/{subject}}, with {@code ?deleted=true} looking in soft-deleted versions too. */
    public synchronized RegisteredSchema lookup(String subject, Schema schema, boolean includeDeleted) {
        Subject held = existing(subject, includeDeleted);
        Integer id = idsBySchema.get(schema);
        if (id != null) {
            for (Map.Entry<Integer, Entry> version : held.versions.entrySet()) {
                if (version.getValue().id() == id
                        && (includeDeleted || !version.getValue().deleted())) {
                    return new RegisteredSchema(subject, id, version.getKey(), schema);
                }
            }
        }
        throw new SchemaRegistryException(
                404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found under subject " + subject);
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(
                    404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    /** Every subject and version that holds the schema with this id, soft-deleted ones included if asked. */
    public synchronized List<SubjectVersion> subjectVersionsOf(int id, boolean includeDeleted) {
        schemaById(id);
        List<SubjectVersion> found = new ArrayList<>();
        subjects.forEach((name, subject) -> subject.versions.forEach((version, entry) -> {
            if (entry.id() == id && (includeDeleted || !entry.deleted())) {
                found.add(new SubjectVersion(name, version));
            }
        }));
        return found;
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<Integer> versions = versions(subject);
        return version(subject, versions.getLast());
    }

    @Override
    public synchronized List<String> subjects() {
        return subjects(false);
    }

    /** {@code GET /subjects}, with {@code ?deleted=true} listing subjects whose versions are all soft-deleted too. */
    public synchronized List<String> subjects(boolean includeDeleted) {
        return subjects.entrySet().stream()
                .filter(entry -> !entry.getValue().numbers(includeDeleted).isEmpty())
                .map(Map.Entry::getKey)
                .toList();
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        return versions(subject, false);
    }

    /** {@code GET /subjects/{subject}/versions}, soft-deleted versions included if asked. */
    public synchronized List<Integer> versions(String subject, boolean includeDeleted) {
        return existing(subject, includeDeleted).numbers(includeDeleted);
    }

    @Override
    public synchronized RegisteredSchema version(String subject, int version) {
        return version(subject, version, false);
    }

    /** {@code GET /subjects/{subject}/versions/{version}}, a soft-deleted version too if asked. */
    public synchronized RegisteredSchema version(String subject, int version, boolean includeDeleted) {
        Subject held = existing(subject, includeDeleted);
        Entry entry = held.versions.get(version);
        if (entry == null || (entry.deleted() && !includeDeleted)) {
            throw versionNotFound(version);
        }
        return new RegisteredSchema(subject, entry.id(), version, schemasById.get(entry.id()));
    }

    /**
     * What keeps {@code schema} from being registered under the subject, by the subject's level: against one version
     * ({@code POST /compatibility/subjects/{subject}/versions/{version}}) or, with none given, against the versions
     * the level names ({@code .../versions}). A subject with no versions accepts anything when no version is named.
     */
    public synchronized List<String> compatibilityProblems(String subject, OptionalInt version, Schema schema) {
        CompatibilityLevel level = effectiveCompatibility(subject);
        if (version.isPresent()) {
            return level.problems(
                    schema, List.of(version(subject, version.getAsInt()).schema()));
        }
        Subject held = subjects.get(subject);
        return level.problems(schema, held == null ? List.of() : liveSchemas(held));
    }

    @Override
    public synchronized CompatibilityLevel globalCompatibility() {
        return globalCompatibility;
    }

    /** {@code PUT /config}. */
    public synchronized void setGlobalCompatibility(CompatibilityLevel level) {
        globalCompatibility = level;
    }

    @Override
    public synchronized Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        Subject held = subjects.get(subject);
        return Optional.ofNullable(held == null ? null : held.compatibility);
    }

    @Override
    public synchronized void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        subjects.computeIfAbsent(subject, name -> new Subject()).compatibility = level;
    }

    /** {@code DELETE /config/{subject}}: the subject follows the global level again; answers the level it had. */
    public synchronized CompatibilityLevel deleteSubjectCompatibility(String subject) {
        Subject held = subjects.get(subject);
        if (held == null || held.compatibility == null) {
            throw new SchemaRegistryException(
                    404,
                    SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                    "Subject '" + subject + "' does not have subject-level compatibility configured");
        }
        CompatibilityLevel previous = held.compatibility;
        held.compatibility = null;
        if (held.versions.isEmpty()) {
            subjects.remove(subject);
        }
        return previous;
    }

    /** The level that applies to the subject: its own, else the global one. */
    public synchronized CompatibilityLevel effectiveCompatibility(String subject) {
        return subjectCompatibility(subject).orElse(globalCompatibility);
    }

    /**
     * {@code DELETE /subjects/{subject}}: soft (its versions are hidden, their ids stay readable) or, once soft-deleted,
     * permanent (the subject and its level are forgotten). Answers the versions deleted.
     */
    public synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        Subject held = existing(subject, true);
        List<Integer> live = held.numbers(false);
        if (permanent) {
            if (!live.isEmpty()) {
                throw new SchemaRegistryException(
                        404,
                        SchemaRegistryException.SUBJECT_NOT_SOFT_DELETED,
                        "Subject '" + subject + "' was not deleted first before being permanently deleted");
            }
            subjects.remove(subject);
            return held.numbers(true);
        }
        if (live.isEmpty()) {
            throw new SchemaRegistryException(
                    404,
                    SchemaRegistryException.SUBJECT_SOFT_DELETED,
                    "Subject '" + subject + "' was soft deleted. Set permanent=true to delete permanently");
        }
        live.forEach(version -> held.versions.computeIfPresent(version, (key, entry) -> new Entry(entry.id(), true)));
        return live;
    }

    /** {@code DELETE /subjects/{subject}/versions/{version}}: soft, or permanent once soft-deleted. */
    public synchronized int deleteVersion(String subject, int version, boolean permanent) {
        Subject held = existing(subject, true);
        Entry entry = held.versions.get(version);
        if (entry == null) {
            throw versionNotFound(version);
        }
        if (permanent) {
            if (!entry.deleted()) {
                throw new SchemaRegistryException(
                        404,
                        SchemaRegistryException.VERSION_NOT_SOFT_DELETED,
                        "Subject '" + subject + "' Version " + version
                                + " was not deleted first before being permanently deleted");
            }
            held.versions.remove(version);
            if (held.versions.isEmpty() && held.compatibility == null) {
                subjects.remove(subject);
            }
        } else {
            if (entry.deleted()) {
                throw new SchemaRegistryException(
                        404,
                        SchemaRegistryException.VERSION_SOFT_DELETED,
                        "Subject '" + subject + "' Version " + version
                                + " was soft deleted. Set permanent=true to delete permanently");
            }
            held.versions.put(version, new Entry(entry.id(), true));
        }
        return version;
    }

    /** The subject, if it has a live version (or any version, when soft-deleted ones count): else 40401. */
    private Subject existing(String subject, boolean includeDeleted) {
        Subject held = subjects.get(subject);
        if (held == null || held.numbers(includeDeleted).isEmpty()) {
            throw new SchemaRegistryException(
                    404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return held;
    }

    private List<Schema> liveSchemas(Subject held) {
        return held.numbers(false).stream()
                .map(version -> schemasById.get(held.versions.get(version).id()))
                .toList();
    }

    private static SchemaRegistryException versionNotFound(int version) {
        return new SchemaRegistryException(
                404, SchemaRegistryException.VERSION_NOT_FOUND, "Version " + version + " not found.");
    }
}
