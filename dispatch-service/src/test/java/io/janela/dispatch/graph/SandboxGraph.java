package io.janela.dispatch.graph;

import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.WABA_ID;

import io.janela.dispatch.config.DispatchProperties;
import io.janela.sandbox.CloudApiSandbox;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The Cloud API sandbox with the fixture business number, and a real Graph API client pointed at it. */
public record SandboxGraph(CloudApiSandbox sandbox, GraphApiClient client) implements AutoCloseable {

    public static SandboxGraph start(String token) {
        return start(token, Map.of());
    }

    /** @param extra sandbox properties ({@code janela.sandbox.*}) on top of the fixture number's */
    public static SandboxGraph start(String token, Map<String, Object> extra) {
        Map<String, Object> properties = new LinkedHashMap<>(Map.of(
                "server.port", 0,
                "janela.sandbox.phone-numbers[0].id", PHONE_NUMBER_ID,
                "janela.sandbox.phone-numbers[0].waba-id", WABA_ID,
                "janela.sandbox.phone-numbers[0].display-phone-number", "15550783881",
                "janela.sandbox.phone-numbers[0].access-token", token));
        properties.putAll(extra);
        CloudApiSandbox sandbox = CloudApiSandbox.start(properties);
        DispatchProperties.GraphApi graphApi = new DispatchProperties.GraphApi(
                sandbox.baseUrl(), "v24.0", Duration.ofSeconds(5), Duration.ofMillis(1_500), 16);
        GraphApiClient client = new GraphApiClient(
                GraphWebClients.create(graphApi, ObservationRegistry.NOOP),
                "v24.0",
                JsonMapper.builder().build());
        return new SandboxGraph(sandbox, client);
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
