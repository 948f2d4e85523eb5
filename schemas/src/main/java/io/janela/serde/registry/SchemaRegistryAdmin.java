package io.janela.serde.registry;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The calls of the Confluent Schema Registry REST API that managing subjects needs, beyond what a serde uses: what
 * the registrar reads and writes. Implemented over HTTP ({@link RestSchemaRegistryClient}) and in-process
 * ({@link MockSchemaRegistry}). Failures are {@link SchemaRegistryException}s with the registry's error code.
 */
public interface SchemaRegistryAdmin extends SchemaRegistryClient {

    /** Every live subject ({@code GET /subjects}). */
    List<String> subjects();

    /** The subject's live versions, oldest first ({@code GET /subjects/{subject}/versions}): 40401 when none. */
    List<Integer> versions(String subject);

    /** One version ({@code GET /subjects/{subject}/versions/{version}}): 40401, or 40402 when it has no such one. */
    RegisteredSchema version(String subject, int version);

    /** The version holding this schema ({@code POST /subjects/{subject}}): 40401, or 40403 when none holds it. */
    RegisteredSchema lookup(String subject, Schema schema);

    /** The level set on the subject itself ({@code GET /config/{subject}}); empty when it follows the global one. */
    Optional<CompatibilityLevel> subjectCompatibility(String subject);

    /** The registry's global level ({@code GET /config}). */
    CompatibilityLevel globalCompatibility();

    /** Sets the subject's own level ({@code PUT /config/{subject}}), whether or not it has versions yet. */
    void setSubjectCompatibility(String subject, CompatibilityLevel level);
}
