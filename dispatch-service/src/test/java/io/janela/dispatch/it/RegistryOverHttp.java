package io.janela.dispatch.it;

import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.serde.registry.SchemaRegistryException;
import org.apache.avro.Schema;

/**
 * A test's in-process registry ({@code mock://<scope>}) served over HTTP on the loopback interface (test-support's
 * {@link io.janela.testsupport.registry.RegistryOverHttp}), so that a service in a child JVM
 * ({@code schema.registry.url=}{@link #url()}) and the test share one registry.
 */
final class RegistryOverHttp implements AutoCloseable {

    private final io.janela.testsupport.registry.RegistryOverHttp server;

    RegistryOverHttp(String scope) {
        MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);
        this.server = new io.janela.testsupport.registry.RegistryOverHttp(
                id -> registry.schemaById(id).toString(),
                (subject, schema) -> registry.register(subject, new Schema.Parser().parse(schema)),
                (subject, schema) -> registry.idOf(subject, new Schema.Parser().parse(schema)),
                e -> e instanceof SchemaRegistryException failure
                        ? new io.janela.testsupport.registry.RegistryOverHttp.Failure(
                                failure.httpStatus(), failure.errorCode())
                        : null);
    }

    String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }
}
