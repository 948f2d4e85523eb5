package io.janela.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.avro.ContactAlias;
import io.janela.avro.WindowEvent;
import io.janela.serde.registry.RestSchemaRegistryClient;
import io.janela.serde.registry.SchemaRegistryException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack's registry, through Janela's REST client, as the services use it. */
class LocalSchemaRegistryServerTest {

    @TempDir
    Path data;

    @Test
    void keepsIdsAcrossARestart() {
        Path journal = data.resolve("schema-registry.jsonl");
        int aliasId;
        int eventId;
        try (LocalSchemaRegistryServer server = LocalSchemaRegistryServer.start(0, journal)) {
            RestSchemaRegistryClient client = client(server);
            aliasId = client.register("whatsapp.contact-aliases-value", ContactAlias.SCHEMA$);
            eventId = client.register("whatsapp.window-events-value", WindowEvent.SCHEMA$);
            assertThat(client.register("whatsapp.contact-aliases-value", ContactAlias.SCHEMA$))
                    .isEqualTo(aliasId);
        }

        try (LocalSchemaRegistryServer restarted = LocalSchemaRegistryServer.start(0, journal)) {
            RestSchemaRegistryClient client = client(restarted);
            assertThat(client.schemaById(aliasId)).isEqualTo(ContactAlias.SCHEMA$);
            assertThat(client.schemaById(eventId)).isEqualTo(WindowEvent.SCHEMA$);
            assertThat(client.idOf("whatsapp.window-events-value", WindowEvent.SCHEMA$))
                    .isEqualTo(eventId);
            assertThat(client.latest("whatsapp.contact-aliases-value").version())
                    .isEqualTo(1);
        }
    }

    @Test
    void answersWithTheRegistrysErrorShapes() {
        try (LocalSchemaRegistryServer server = LocalSchemaRegistryServer.start(0, data.resolve("j.jsonl"))) {
            RestSchemaRegistryClient client = client(server);

            assertThatThrownBy(() -> client.schemaById(99)).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                assertThat(e.httpStatus()).isEqualTo(404);
                assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
            });
            assertThatThrownBy(() -> client.latest("nothing-value"))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
        }
    }

    @Test
    void answers503ToEveryCallDuringAnOutageAndServesAgainAfterIt() {
        try (LocalSchemaRegistryServer server = LocalSchemaRegistryServer.start(0, data.resolve("j.jsonl"))) {
            RestSchemaRegistryClient client = client(server);
            int id = client.register("whatsapp.window-events-value", WindowEvent.SCHEMA$);

            server.unavailable(true);
            assertThatThrownBy(() -> client(server).schemaById(id))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(503);
                        assertThat(e.errorCode()).isEqualTo(50301);
                    });
            assertThatThrownBy(() -> client(server).register("whatsapp.contact-aliases-value", ContactAlias.SCHEMA$))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> assertThat(e.httpStatus()).isEqualTo(503));
            assertThat(server.refused()).isEqualTo(2);

            server.unavailable(false);
            assertThat(client(server).schemaById(id)).isEqualTo(WindowEvent.SCHEMA$);
            assertThatThrownBy(() -> client(server).latest("whatsapp.contact-aliases-value"))
                    .as("nothing was registered during the outage")
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
        }
    }

    private static RestSchemaRegistryClient client(LocalSchemaRegistryServer server) {
        return new RestSchemaRegistryClient(
                List.of(URI.create(server.url())), Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }
}
