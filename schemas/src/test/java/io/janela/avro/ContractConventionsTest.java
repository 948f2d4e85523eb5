package io.janela.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The conventions of the contract (DESIGN.md §3), checked on every schema so that a new field cannot break them:
 * enums have a default symbol (Meta adds values; old readers must not fail), times are {@code timestamp-millis},
 * ids are strings.
 */
class ContractConventionsTest {

    @Test
    void everyEnumHasADefaultSymbol() {
        List<String> withoutDefault = new ArrayList<>();
        for (Schema schema : namedTypes()) {
            if (schema.getType() == Schema.Type.ENUM && schema.getEnumDefault() == null) {
                withoutDefault.add(schema.getFullName());
            }
        }
        assertThat(withoutDefault).isEmpty();
    }

    @Test
    void everyTimeIsATimestampInMilliseconds() {
        List<String> offenders = new ArrayList<>();
        forEachField((record, field, type) -> {
            String name = field.name();
            boolean looksLikeTime = name.endsWith("At")
                    || name.endsWith("Until")
                    || name.endsWith("Since")
                    || name.equals("timestamp")
                    || name.equals("eventTime");
            if (looksLikeTime && !(type.getLogicalType() instanceof LogicalTypes.TimestampMillis)) {
                offenders.add(record.getName() + "." + name);
            }
        });
        assertThat(offenders).isEmpty();
    }

    @Test
    void everyIdIsAString() {
        List<String> offenders = new ArrayList<>();
        forEachField((record, field, type) -> {
            if (field.name().endsWith("Id") && type.getType() != Schema.Type.STRING) {
                offenders.add(record.getName() + "." + field.name());
            }
        });
        assertThat(offenders).isEmpty();
    }

    private interface FieldVisitor {
        void visit(Schema record, Schema.Field field, Schema nonNullType);
    }

    private static void forEachField(FieldVisitor visitor) {
        for (Schema schema : namedTypes()) {
            if (schema.getType() == Schema.Type.RECORD) {
                for (Schema.Field field : schema.getFields()) {
                    visitor.visit(schema, field, nonNull(field.schema()));
                }
            }
        }
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            List<Schema> branches = schema.getTypes().stream()
                    .filter(branch -> branch.getType() != Schema.Type.NULL)
                    .toList();
            return branches.size() == 1 ? branches.getFirst() : schema;
        }
        return schema;
    }

    private static Set<Schema> namedTypes() {
        Set<Schema> seen = new HashSet<>();
        TopicSchemas.ALL.forEach(schema -> collect(schema, seen));
        return seen;
    }

    private static void collect(Schema schema, Set<Schema> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema)) {
                    schema.getFields().forEach(field -> collect(field.schema(), seen));
                }
            }
            case ENUM -> seen.add(schema);
            case UNION -> schema.getTypes().forEach(branch -> collect(branch, seen));
            case ARRAY -> collect(schema.getElementType(), seen);
            case MAP -> collect(schema.getValueType(), seen);
            default -> {}
        }
    }
}
