package io.janela.local;

import java.util.stream.Collectors;

/** What the stack prints once everything is ready: where things are and how to use them. */
final class Banner {

    private Banner() {}

    static String text(LocalStack stack) {
        String services = stack.services().stream()
                .map(service -> String.format(
                        "  %-18s %s   (health %s/actuator/health, metrics %s/actuator/prometheus, log %s)",
                        service.name(), service.baseUrl(), service.baseUrl(), service.baseUrl(), service.logFile()))
                .collect(Collectors.joining("\n"));
        return """

                ============================================================================================
                 Janela is running locally
                ============================================================================================
                 Kafka            %s   (KRaft, data in %s)
                 Schema registry  %s
                 Services
                %s

                 Stop with Ctrl-C: services first, then the registry, then Kafka.
                ============================================================================================
                """.formatted(stack.bootstrapServers(), stack.options().dataDirectory(), stack.registryUrl(), services);
    }
}
