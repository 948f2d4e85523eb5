package io.janela.contract.registrar;

import io.janela.contract.ContractSubjects;
import io.janela.contract.TopicNames;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.serde.registry.RestSchemaRegistryClient;
import io.janela.serde.registry.SchemaRegistryAdmin;
import io.janela.serde.registry.SchemaRegistryException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code java -jar schemas-<version>-registrar.jar register|verify --registry URL [--basic-auth USER:PASSWORD]
 * [--wait DURATION]}. The URL and credentials may also come from {@code SCHEMA_REGISTRY_URL} and
 * {@code SCHEMA_REGISTRY_BASIC_AUTH}. Topic names are the contract's defaults; {@code JANELA_TOPICS_<NAME>} is not read
 * (rename topics with an overlay of this command's arguments if you ever need to).
 *
 * <p>Exit codes: 0 done; 1 usage; 2 a schema is incompatible with what the registry holds (nothing registered);
 * 3 {@code verify}: subjects missing (after {@code --wait}); 4 the registry could not be reached or refused.
 */
public final class RegistrarCommand {

    public static final int OK = 0;
    public static final int USAGE = 1;
    public static final int INCOMPATIBLE = 2;
    public static final int MISSING = 3;
    public static final int UNREACHABLE = 4;

    private static final String USAGE_TEXT = "usage: register|verify --registry URL [--basic-auth USER:PASSWORD]"
            + " [--wait DURATION, e.g. 10m, for verify]";

    private RegistrarCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !(args[0].equals("register") || args[0].equals("verify"))) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        Optional<String> url = option(args, "--registry").or(() -> env("SCHEMA_REGISTRY_URL"));
        Optional<String> auth = option(args, "--basic-auth").or(() -> env("SCHEMA_REGISTRY_BASIC_AUTH"));
        Duration wait;
        try {
            wait = option(args, "--wait").map(RegistrarCommand::duration).orElse(Duration.ZERO);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + USAGE_TEXT);
            return USAGE;
        }
        if (url.isEmpty()) {
            err.println("no registry: --registry URL or SCHEMA_REGISTRY_URL\n" + USAGE_TEXT);
            return USAGE;
        }
        SchemaRegistryAdmin registry = url.get().startsWith("mock://")
                ? MockSchemaRegistry.forScope(url.get().substring("mock://".length()))
                : new RestSchemaRegistryClient(
                        Arrays.stream(url.get().split(","))
                                .map(String::strip)
                                .map(URI::create)
                                .toList(),
                        auth,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(30));
        ContractRegistrar registrar = new ContractRegistrar(registry, ContractSubjects.all(TopicNames.defaults()), out);
        return args[0].equals("register") ? register(registrar, err) : verify(registrar, wait, out, err);
    }

    private static int register(ContractRegistrar registrar, PrintStream err) {
        try {
            List<String> problems = registrar.register();
            if (!problems.isEmpty()) {
                err.println("nothing registered: the contract is incompatible with what the registry holds:");
                problems.forEach(problem -> err.println("  " + problem));
                return INCOMPATIBLE;
            }
            return OK;
        } catch (SchemaRegistryException e) {
            err.println("the registry failed: " + e.getMessage());
            return UNREACHABLE;
        }
    }

    private static int verify(ContractRegistrar registrar, Duration wait, PrintStream out, PrintStream err) {
        Instant deadline = Instant.now().plus(wait);
        while (true) {
            String problem;
            try {
                List<String> missing = registrar.missing();
                if (missing.isEmpty()) {
                    out.println("the contract is registered");
                    return OK;
                }
                problem = "not registered: " + String.join(", ", missing);
            } catch (SchemaRegistryException e) {
                problem = "the registry failed: " + e.getMessage();
            }
            if (!Instant.now().isBefore(deadline)) {
                err.println(problem);
                return problem.startsWith("not registered") ? MISSING : UNREACHABLE;
            }
            out.println(problem + "; checking again in 5 s");
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return UNREACHABLE;
            }
        }
    }

    private static Optional<String> option(String[] args, String name) {
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals(name) && i + 1 < args.length) {
                return Optional.of(args[i + 1]);
            }
            if (args[i].startsWith(name + "=")) {
                return Optional.of(args[i].substring(name.length() + 1));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }

    static Duration duration(String text) {
        String value = text.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new IllegalArgumentException("not a duration: " + text);
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a duration: " + text, e);
        }
    }
}
