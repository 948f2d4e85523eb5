package io.janela.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.OutboundRequest;
import io.janela.contract.ContractSubjects;
import io.janela.contract.TopicNames;
import io.janela.contract.registrar.ContractRegistrar;
import io.janela.serde.registry.CompatibilityLevel;
import io.janela.serde.registry.RestSchemaRegistryClient;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack registers the contract before anyone writes, over HTTP, as a real registry would get it. */
class ContractRegistrationTest {

    @TempDir
    Path data;

    @Test
    void registersEveryContractSubjectSoThatAProducerWithoutAutoRegistrationFindsItsSchema() {
        try (LocalSchemaRegistryServer server = LocalSchemaRegistryServer.start(0, data.resolve("registry.jsonl"))) {
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                    List.of(URI.create(server.url())), Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(5));
            ContractRegistrar registrar = new ContractRegistrar(
                    client,
                    ContractSubjects.all(TopicNames.defaults()),
                    new PrintStream(OutputStream.nullOutputStream()));
            assertThat(registrar.missing()).contains("whatsapp.outbound-requests-value");

            ContractRegistration.register(server.url());

            assertThat(registrar.missing()).isEmpty();
            // what a producer with auto.register.schemas=false and use.latest.version=true asks for
            assertThat(client.latest("whatsapp.outbound-requests-value").schema())
                    .isEqualTo(OutboundRequest.SCHEMA$);
            assertThat(client.subjectCompatibility("whatsapp.outbound-requests-value"))
                    .contains(CompatibilityLevel.BACKWARD_TRANSITIVE);
            ContractRegistration.register(server.url());
            assertThat(client.versions("whatsapp.outbound-requests-value")).containsExactly(1);
        }
    }
}
