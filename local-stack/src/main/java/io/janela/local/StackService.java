package io.janela.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The processes of the local stack: their module, port, and the settings that point them at the stack. */
enum StackService {
    SANDBOX("cloud-api-sandbox", 8090),
    INGRESS("ingress-service", 8080),
    WINDOW("window-service", 8081),
    DISPATCH("dispatch-service", 8082),
    METRICS("metrics-service", 8083),
    SURVEY("survey-service", 8084);

    /** The business number the sandbox knows by default (cloud-api-sandbox.yml). */
    static final String PHONE_NUMBER_ID = "100000000000001";

    static final String WABA_ID = "200000000000001";

    private final String moduleName;
    private final int defaultPort;

    StackService(String moduleName, int defaultPort) {
        this.moduleName = moduleName;
        this.defaultPort = defaultPort;
    }

    String moduleName() {
        return moduleName;
    }

    /** The port without {@code --port-offset}. */
    int defaultPort() {
        return defaultPort;
    }

    /** The executable jar in the module's target folder (the sandbox's carries the classifier {@code exec}). */
    Path jar(Path repositoryRoot) {
        Path target = repositoryRoot.resolve(moduleName).resolve("target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(file -> {
                        String name = file.getFileName().toString();
                        return name.startsWith(moduleName + "-") && name.endsWith(".jar");
                    })
                    // The runnable one: -exec.jar where there is one.
                    .max(Comparator.comparing(
                            file -> file.getFileName().toString().endsWith("-exec.jar")))
                    .orElse(target.resolve(moduleName + ".jar"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look into " + target, e);
        }
    }

    /** Modest heaps: seven JVMs share a laptop. Native access is allowed for Netty and RocksDB (JDK 22+ warns). */
    List<String> jvmOptions() {
        return List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED");
    }

    /** Spring properties, passed as arguments: none of them secret. */
    Map<String, String> properties(LocalStack stack) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.putAll(ShortWindow.properties(this, stack.options().windowLength()));
        if (this == SANDBOX) {
            // Meta retries a webhook that was not answered 200 for days: keep retrying through ten minutes of ingress
            // outage (a crash, a restart of the stack), at most 10 s apart, rather than dropping it after 15 s.
            properties.put("janela.sandbox.webhook-attempts", "60");
            properties.put("janela.sandbox.webhook-retry-max-backoff", "10s");
            return properties; // no Kafka: it speaks Meta's HTTP only
        }
        properties.put("spring.kafka.bootstrap-servers", stack.bootstrapServers());
        properties.put("spring.kafka.properties.schema.registry.url", stack.registryUrl());
        if (this == WINDOW || this == DISPATCH || this == METRICS || this == SURVEY) {
            // Static membership, as deploy/ gives it (the pod name): a service the launcher restarts after a crash
            // takes its partitions back at once instead of waiting out its predecessor's session timeout (45 s).
            properties.put("janela.streams.instance-id", moduleName);
        }
        String partitions = Integer.toString(stack.options().partitions());
        switch (this) {
            case WINDOW -> {
                properties.put(
                        "spring.kafka.streams.state-dir",
                        stack.stateDirectory(moduleName).toString());
                properties.put("janela.window.query.advertised-host", "127.0.0.1");
            }
            case DISPATCH -> {
                properties.put(
                        "spring.kafka.streams.state-dir",
                        stack.stateDirectory(moduleName).toString());
                properties.put("janela.dispatch.business-numbers[0].phone-number-id", PHONE_NUMBER_ID);
                properties.put("janela.dispatch.business-numbers[0].waba-id", WABA_ID);
                properties.put("janela.dispatch.business-numbers[0].display-phone-number", "15550000001");
                properties.put(
                        "janela.dispatch.business-numbers[0].access-token-file",
                        stack.secrets().accessTokenFile().toString());
                properties.put("janela.dispatch.graph-api.base-url", stack.baseUrl(SANDBOX));
                // The sandbox answers at once: list its templates right away rather than 10 s after the start, so
                // that a template sent as soon as the banner shows finds its catalog entry.
                properties.put("janela.dispatch.template-sync.initial-delay", "0s");
                properties.put("janela.dispatch.partitions", partitions);
            }
            case METRICS -> {
                properties.put(
                        "spring.kafka.streams.state-dir",
                        stack.stateDirectory(moduleName).toString());
                // The count of the topics the stack created: the service refuses inputs of another count.
                properties.put("janela.metrics.topic-partitions", partitions);
            }
            case SURVEY -> {
                properties.put(
                        "spring.kafka.streams.state-dir",
                        stack.stateDirectory(moduleName).toString());
                // 10 s after a resolution rather than 5 min, so that trying it by hand shows a survey at once.
                properties.putIfAbsent("janela.survey.delay", "10s");
                // The sandbox's utility survey template (its body names the order or interaction, as Meta requires of
                // a utility survey): a survey after the window has closed goes as this template.
                properties.put("janela.survey.templates[*].name", "satisfaction_survey");
                properties.put("janela.survey.templates[*].language", "en_US");
                properties.put("janela.survey.topics.partitions", partitions);
            }
            default -> {}
        }
        return properties;
    }

    /** Environment variables: where secrets go (a process's arguments are visible to every user, its environment not). */
    Map<String, String> environment(LocalStack stack) {
        LocalSecrets secrets = stack.secrets();
        return switch (this) {
            case SANDBOX ->
                Map.of(
                        "SANDBOX_PORT", Integer.toString(stack.port(this)),
                        "SANDBOX_WEBHOOK_URL", stack.webhookUrl(),
                        "SANDBOX_APP_SECRET", secrets.appSecret());
            case INGRESS -> Map.of("JANELA_SECRETS_DIR", secrets.ingressSecretsDirectory() + "/");
            default -> Map.of();
        };
    }
}
