package io.janela.serde.registry;

import org.apache.avro.Schema;

/**
 * The calls of the Confluent Schema Registry REST API that the Avro serde needs. Implementations throw
 * {@link SchemaRegistryException} with the registry's error code when a call fails.
 */
public interface SchemaRegistryClient {

    /**
     * Registers the schema under the subject, or finds it there if it is already registered, and returns its id
     * ({@code POST /subjects/{subject}/versions}). Fails with 409 when the subject's compatibility rule refuses it.
     */
    int register(String subject, Schema schema);

    /**
     * The id of a schema already registered under the subject ({@code POST /subjects/{subject}}): 40401 when the
     * subject does not exist, 40403 when the schema is not one of its versions.
     */
    int idOf(String subject, Schema schema);

    /** The schema with this id ({@code GET /schemas/ids/{id}}): 40403 when there is none. */
    Schema schemaById(int id);

    /** The subject's latest version ({@code GET /subjects/{subject}/versions/latest}): 40401 when there is none. */
    RegisteredSchema latest(String subject);
}
