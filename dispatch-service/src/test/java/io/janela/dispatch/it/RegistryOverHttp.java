package io.janela.dispatch.it;

import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.serde.registry.SchemaRegistryException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.avro.Schema;

/**
 * A test's in-process registry ({@code mock://<scope>}) served over HTTP on the loopback interface (test-support's
 * {@link io.janela.testsupport.registry.RegistryOverHttp}), so that a service in a child JVM
 * ({@code schema.registry.url=}{@link #url()}) and the test share one registry. A test can take it down
 * ({@link #unavailable}).
 */
final class RegistryOverHttp implements AutoCloseable {

    private final io.janela.testsupport.registry.RegistryOverHttp server;
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean unavailable;

    RegistryOverHttp(String scope) {
        MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);
        this.server = new io.janela.testsupport.registry.RegistryOverHttp(
                id -> available(() -> registry.schemaById(id).toString()),
                (subject, schema) -> available(() -> registry.register(subject, new Schema.Parser().parse(schema))),
                (subject, schema) -> available(() -> registry.idOf(subject, new Schema.Parser().parse(schema))),
                e -> e instanceof SchemaRegistryException failure
                        ? new io.janela.testsupport.registry.RegistryOverHttp.Failure(
                                failure.httpStatus(), failure.errorCode())
                        : null);
    }

    String url() {
        return server.url();
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

    private <T> T available(Supplier<T> call) {
        if (unavailable) {
            refused.incrementAndGet();
            throw new SchemaRegistryException(503, 50301, "the schema registry is unavailable (a test's outage)");
        }
        return call.get();
    }

    @Override
    public void close() {
        server.close();
    }
}
