package io.janela.local;

import io.janela.contract.ContractSubjects;
import io.janela.contract.TopicNames;
import io.janela.contract.registrar.ContractRegistrar;
import io.janela.serde.registry.RestSchemaRegistryClient;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the contract in the local stack's registry at start, as deploy/'s registration does before the services
 * run: a company's own producer with {@code auto.register.schemas=false} works from the first minute, before any Janela
 * service has written to a topic.
 */
final class ContractRegistration {

    private static final Logger log = LoggerFactory.getLogger(ContractRegistration.class);

    private ContractRegistration() {}

    /** Registers every contract subject; throws when the registry holds a schema the contract cannot replace. */
    static void register(String registryUrl) {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                List.of(URI.create(registryUrl)), Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(30));
        List<ContractSubjects.Subject> subjects = ContractSubjects.all(TopicNames.defaults());
        List<String> problems =
                new ContractRegistrar(client, subjects, new PrintStream(OutputStream.nullOutputStream())).register();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the local registry holds schemas the contract cannot replace (start with"
                    + " --clean to begin afresh): " + String.join("; ", problems));
        }
        log.info(
                "Contract registered: {} subjects, compatibility {}",
                subjects.size(),
                ContractRegistrar.CONTRACT_COMPATIBILITY);
    }
}
