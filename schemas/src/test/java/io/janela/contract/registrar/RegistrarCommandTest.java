package io.janela.contract.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.OutboundRequest;
import io.janela.contract.ContractSubjects;
import io.janela.contract.TopicNames;
import io.janela.serde.registry.CompatibilityLevel;
import io.janela.serde.registry.MockSchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class RegistrarCommandTest {

    private final String scope = "registrar-" + UUID.randomUUID();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void registersEveryContractSubjectWithTheContractsCompatibilityOnAFreshRegistry() {
        assertThat(run("verify")).isEqualTo(RegistrarCommand.MISSING);

        assertThat(run("register")).isEqualTo(RegistrarCommand.OK);

        MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);
        for (ContractSubjects.Subject subject : ContractSubjects.all(TopicNames.defaults())) {
            assertThat(registry.lookup(subject.subject(), subject.schema()).version())
                    .isEqualTo(1);
            assertThat(registry.subjectCompatibility(subject.subject()))
                    .contains(CompatibilityLevel.BACKWARD_TRANSITIVE);
        }
        assertThat(registry.latest("whatsapp.outbound-requests-value").schema()).isEqualTo(OutboundRequest.SCHEMA$);
        assertThat(run("verify")).isEqualTo(RegistrarCommand.OK);
        assertThat(run("register")).as("registering again changes nothing").isEqualTo(RegistrarCommand.OK);
        assertThat(registry.versions("whatsapp.outbound-requests-value")).containsExactly(1);
    }

    @Test
    void registersNothingWhenASubjectHoldsASchemaTheContractCannotRead() {
        MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);
        registry.setSubjectCompatibility("whatsapp.outbound-requests-value", CompatibilityLevel.NONE);
        Schema foreign = SchemaBuilder.record("OutboundRequest")
                .namespace("io.janela.avro")
                .fields()
                .requiredLong("requestId")
                .endRecord();
        registry.register("whatsapp.outbound-requests-value", foreign);

        assertThat(run("register")).isEqualTo(RegistrarCommand.INCOMPATIBLE);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("whatsapp.outbound-requests-value");
        assertThat(registry.subjects()).containsExactly("whatsapp.outbound-requests-value");
    }

    @Test
    void refusesAnIncompleteCommandLine() {
        assertThat(RegistrarCommand.run(new String[] {}, print(out), print(err)))
                .isEqualTo(RegistrarCommand.USAGE);
        assertThat(RegistrarCommand.run(
                        new String[] {"verify", "--registry", "mock://" + scope, "--wait", "soon"},
                        print(out),
                        print(err)))
                .isEqualTo(RegistrarCommand.USAGE);
    }

    private int run(String command) {
        return RegistrarCommand.run(new String[] {command, "--registry", "mock://" + scope}, print(out), print(err));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
