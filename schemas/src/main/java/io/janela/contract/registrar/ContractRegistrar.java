package io.janela.contract.registrar;

import io.janela.contract.ContractSubjects;
import io.janela.serde.registry.CompatibilityLevel;
import io.janela.serde.registry.RegisteredSchema;
import io.janela.serde.registry.SchemaRegistryAdmin;
import io.janela.serde.registry.SchemaRegistryException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Registers the contract in a schema registry, or checks that it is there: what lets a company's own producers run
 * with {@code auto.register.schemas=false} (what production registries usually require) from the first minute of a
 * deployment, before any Janela service has written to a topic.
 *
 * <p>{@code register}: for each subject, sets the compatibility the contract promises (BACKWARD_TRANSITIVE: today's
 * classes read every record ever written) unless the subject already has it, checks the current schema against every
 * version the registry holds, and registers it when it is not there yet. Nothing is registered when any subject would
 * be incompatible. {@code verify}: every subject holds the current schema.
 */
public final class ContractRegistrar {

    /** The compatibility the contract promises (schemas/README.md, "Evolving a schema"). */
    public static final CompatibilityLevel CONTRACT_COMPATIBILITY = CompatibilityLevel.BACKWARD_TRANSITIVE;

    private final SchemaRegistryAdmin registry;
    private final List<ContractSubjects.Subject> subjects;
    private final PrintStream out;

    public ContractRegistrar(SchemaRegistryAdmin registry, List<ContractSubjects.Subject> subjects, PrintStream out) {
        this.registry = registry;
        this.subjects = List.copyOf(subjects);
        this.out = out;
    }

    /** The subjects whose current schema cannot be registered, with why; empty when all can. */
    public List<String> incompatibilities() {
        List<String> problems = new ArrayList<>();
        for (ContractSubjects.Subject subject : subjects) {
            List<Schema> held = heldSchemas(subject.subject());
            List<String> found = CONTRACT_COMPATIBILITY.problems(subject.schema(), held);
            if (!found.isEmpty()) {
                problems.add(subject.subject() + ": " + String.join("; ", found));
            }
        }
        return problems;
    }

    /** Registers every subject; returns the problems that stopped it (nothing is registered then). */
    public List<String> register() {
        List<String> problems = incompatibilities();
        if (!problems.isEmpty()) {
            return problems;
        }
        for (ContractSubjects.Subject subject : subjects) {
            Optional<CompatibilityLevel> level = registry.subjectCompatibility(subject.subject());
            if (level.filter(CONTRACT_COMPATIBILITY::equals).isEmpty()) {
                registry.setSubjectCompatibility(subject.subject(), CONTRACT_COMPATIBILITY);
            }
            int id = registry.register(subject.subject(), subject.schema());
            RegisteredSchema registered = registry.lookup(subject.subject(), subject.schema());
            out.printf("registered %s: id %d, version %d%n", subject.subject(), id, registered.version());
        }
        return List.of();
    }

    /** The subjects that do not hold the current schema (missing or older); empty when the contract is there. */
    public List<String> missing() {
        List<String> missing = new ArrayList<>();
        for (ContractSubjects.Subject subject : subjects) {
            try {
                registry.lookup(subject.subject(), subject.schema());
            } catch (SchemaRegistryException e) {
                if (!notFound(e)) {
                    throw e;
                }
                missing.add(subject.subject());
            }
        }
        return missing;
    }

    private List<Schema> heldSchemas(String subject) {
        try {
            List<Schema> held = new ArrayList<>();
            for (int version : registry.versions(subject)) {
                held.add(registry.version(subject, version).schema());
            }
            return held;
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND) {
                return List.of();
            }
            throw e;
        }
    }

    private static boolean notFound(SchemaRegistryException e) {
        return e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
                || e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND
                || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND;
    }
}
