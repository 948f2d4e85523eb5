package io.janela.serde.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * A subject's compatibility rule, as the Confluent Schema Registry names them ({@code GET/PUT /config}), and the
 * check each one makes with Avro's own {@link SchemaCompatibility}: BACKWARD means the new schema reads data written
 * with the latest version, FORWARD that the latest version reads data written with the new one, FULL both; the
 * TRANSITIVE forms check every version the subject holds instead of only the latest.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** The level of this name, in any case; empty for a name the registry does not know (its error 42203). */
    public static Optional<CompatibilityLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Why {@code candidate} may not follow the versions a subject holds under this level; empty when it may.
     *
     * @param held the subject's live versions, oldest first
     */
    public List<String> problems(Schema candidate, List<Schema> held) {
        if (held.isEmpty() || this == NONE) {
            return List.of();
        }
        List<Schema> checked = transitive ? held : List.of(held.getLast());
        List<String> problems = new ArrayList<>();
        for (Schema existing : checked) {
            if (backward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing), "BACKWARD", problems);
            }
            if (forward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(existing, candidate), "FORWARD", problems);
            }
        }
        return problems;
    }

    private static void describe(
            SchemaCompatibility.SchemaPairCompatibility pair, String direction, List<String> problems) {
        if (pair.getType() != SchemaCompatibilityType.COMPATIBLE) {
            pair.getResult()
                    .getIncompatibilities()
                    .forEach(incompatibility -> problems.add("{direction:'" + direction + "', type:"
                            + incompatibility.getType() + ", location:" + incompatibility.getLocation()
                            + ", message:" + incompatibility.getMessage() + "}"));
        }
    }
}
