package io.janela.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The services of the local stack: their module, port, and the settings that point them at the stack. */
enum StackService {
    INGRESS("ingress-service", 8080, false),
    WINDOW("window-service", 8081, true),
    DISPATCH("dispatch-service", 8082, true),
    METRICS("metrics-service", 8083, true);

    private final String moduleName;
    private final int port;
    private final boolean kafkaStreams;

    StackService(String moduleName, int port, boolean kafkaStreams) {
        this.moduleName = moduleName;
        this.port = port;
        this.kafkaStreams = kafkaStreams;
    }

    String moduleName() {
        return moduleName;
    }

    int port() {
        return port;
    }

    /** The executable jar that {@code package} builds in the module's target folder. */
    Path jar(Path repositoryRoot) {
        Path target = repositoryRoot.resolve(moduleName).resolve("target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(file -> {
                        String name = file.getFileName().toString();
                        return name.startsWith(moduleName + "-") && name.endsWith(".jar");
                    })
                    .findFirst()
                    .orElse(target.resolve(moduleName + ".jar"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look into " + target, e);
        }
    }

    /** Modest heaps: five JVMs share a laptop. Native access is allowed for Netty and RocksDB (JDK 22+ warns). */
    List<String> jvmOptions() {
        return List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED");
    }

    Map<String, String> properties(LocalStack stack) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.kafka.bootstrap-servers", stack.bootstrapServers());
        properties.put("spring.kafka.properties.schema.registry.url", stack.registryUrl());
        if (kafkaStreams) {
            // Kept under the data directory so that a restart resumes from local state instead of the changelogs.
            properties.put(
                    "spring.kafka.streams.state-dir",
                    stack.stateDirectory(moduleName).toString());
        }
        return properties;
    }
}
