package io.janela.serde.registry;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import java.util.function.ToIntBiFunction;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers what the registry answered so that a running service keeps working through a registry outage once it
 * has seen its schemas.
 *
 * <ul>
 *   <li>ids and the (subject, schema) → id mapping never change in a registry, so they are kept for good;
 *   <li>a subject's latest version can change: it is kept for {@code latestTtl} (forever when null, as Confluent's
 *       {@code latest.cache.ttl.sec=-1}); when refreshing fails for a transient reason the last answer is served on.
 * </ul>
 *
 * Thread-safe. The number of entries is bounded by the schemas a service uses, which is small.
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {

    private static final Logger log = LoggerFactory.getLogger(CachingSchemaRegistryClient.class);

    private record SubjectSchema(String subject, Schema schema) {}

    private record Latest(RegisteredSchema schema, long fetchedAtNanos) {}

    private final SchemaRegistryClient delegate;
    private final Duration latestTtl;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final ConcurrentMap<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Latest> latestBySubject = new ConcurrentHashMap<>();

    public CachingSchemaRegistryClient(SchemaRegistryClient delegate, Duration latestTtl) {
        this(delegate, latestTtl, System::nanoTime);
    }

    CachingSchemaRegistryClient(SchemaRegistryClient delegate, Duration latestTtl, LongSupplier nanoTime) {
        this.delegate = delegate;
        this.latestTtl = latestTtl;
        this.nanoTime = nanoTime;
    }

    @Override
    public int register(String subject, Schema schema) {
        return cachedId(subject, schema, delegate::register);
    }

    @Override
    public int idOf(String subject, Schema schema) {
        return cachedId(subject, schema, delegate::idOf);
    }

    /** Registering and looking up give the same id for the same subject and schema: one cache serves both. */
    private int cachedId(String subject, Schema schema, ToIntBiFunction<String, Schema> call) {
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            int id = call.applyAsInt(subject, schema);
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    @Override
    public Schema schemaById(int id) {
        return schemasById.computeIfAbsent(id, delegate::schemaById);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        Latest cached = latestBySubject.get(subject);
        long now = nanoTime.getAsLong();
        if (cached != null && (latestTtl == null || now - cached.fetchedAtNanos() < latestTtl.toNanos())) {
            return cached.schema();
        }
        try {
            RegisteredSchema fresh = delegate.latest(subject);
            latestBySubject.put(subject, new Latest(fresh, now));
            schemasById.putIfAbsent(fresh.id(), fresh.schema());
            return fresh;
        } catch (SchemaRegistryException e) {
            if (cached != null && e.isTransient()) {
                log.warn(
                        "Schema registry unavailable; using the cached latest version {} of subject {}: {}",
                        cached.schema().version(),
                        subject,
                        e.getMessage());
                return cached.schema();
            }
            throw e;
        }
    }
}
