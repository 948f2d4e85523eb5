package io.janela.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.avro.ContactAlias;
import io.janela.avro.WindowEvent;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MockSchemaRegistryTest {

    private final String scope = "mock-" + UUID.randomUUID();
    private final MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);

    @AfterEach
    void drop() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void sharesOneRegistryPerScope() {
        int id = registry.register("a-value", ContactAlias.SCHEMA$);

        assertThat(MockSchemaRegistry.forScope(scope).schemaById(id)).isEqualTo(ContactAlias.SCHEMA$);
        MockSchemaRegistry.dropScope(scope);
        assertThatThrownBy(() -> MockSchemaRegistry.forScope(scope).schemaById(id))
                .isInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void givesEqualSchemasOneIdAcrossSubjectsAndCountsVersionsPerSubject() {
        int first = registry.register("a-value", ContactAlias.SCHEMA$);
        int again = registry.register("a-value", ContactAlias.SCHEMA$);
        int otherSubject = registry.register("b-value", ContactAlias.SCHEMA$);
        int otherSchema = registry.register("c-value", WindowEvent.SCHEMA$);

        assertThat(again).isEqualTo(first);
        assertThat(otherSubject).isEqualTo(first);
        assertThat(otherSchema).isNotEqualTo(first);
        assertThat(registry.latest("a-value").version()).isEqualTo(1);
        assertThat(registry.idOf("b-value", ContactAlias.SCHEMA$)).isEqualTo(first);
    }

    @Test
    void refusesASchemaThatCannotReadTheLatestVersionsData() {
        registry.register("a-value", ContactAlias.SCHEMA$);
        Schema withRequiredField = new Schema.Parser()
                .parse(ContactAlias.SCHEMA$
                        .toString()
                        .replace("\"fields\":[", "\"fields\":[{\"name\":\"required\",\"type\":\"string\"},"));

        assertThatThrownBy(() -> registry.register("a-value", withRequiredField))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
                    assertThat(e.httpStatus()).isEqualTo(409);
                });
    }

    @Test
    void answersWithTheRegistrysErrorCodes() {
        assertThatThrownBy(() -> registry.latest("none"))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
        registry.register("a-value", ContactAlias.SCHEMA$);
        assertThatThrownBy(() -> registry.idOf("a-value", WindowEvent.SCHEMA$))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    }
}
