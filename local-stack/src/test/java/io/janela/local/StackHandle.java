package io.janela.local;

import io.janela.local.outbound.OutboundPublisher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local stack for test code outside this package (the end-to-end load driver): started on free ports in a given
 * data directory, with what a driver needs to talk to it.
 */
public final class StackHandle implements AutoCloseable {

    private final LocalStack stack;

    private StackHandle(LocalStack stack) {
        this.stack = stack;
    }

    /** Starts the whole stack from the packaged jars under {@code repositoryRoot}; extra launcher options allowed. */
    public static StackHandle start(Path repositoryRoot, Path dataDirectory, List<String> options) {
        List<String> args = new ArrayList<>(options);
        args.add("--data-dir=" + dataDirectory);
        args.add("--port-offset=" + FreePorts.offset());
        LocalStack stack = new LocalStack(LocalStackOptions.parse(args), repositoryRoot);
        try {
            stack.start();
        } catch (RuntimeException e) {
            stack.stop();
            throw e;
        }
        return new StackHandle(stack);
    }

    public String phoneNumberId() {
        return StackService.PHONE_NUMBER_ID;
    }

    public String webhookUrl() {
        return stack.webhookUrl();
    }

    public String appSecret() {
        return stack.secrets().appSecret();
    }

    public String bootstrapServers() {
        return stack.bootstrapServers();
    }

    public String registryUrl() {
        return stack.registryUrl();
    }

    public String sandboxUrl() {
        return stack.baseUrl(StackService.SANDBOX);
    }

    /** Starts ({@code true}) or ends a schema registry outage: meanwhile every call to it is answered 503. */
    public void registryUnavailable(boolean unavailable) {
        stack.registryUnavailable(unavailable);
    }

    /** Registry calls answered 503 by outages so far. */
    public long registryCallsRefused() {
        return stack.registryCallsRefused();
    }

    public OutboundPublisher outbound() {
        return stack.outbound();
    }

    /** Each child process by module name: its base URL and process id. */
    public Map<String, ServiceInfo> services() {
        Map<String, ServiceInfo> services = new LinkedHashMap<>();
        stack.services()
                .forEach(service -> services.put(
                        service.name(),
                        new ServiceInfo(
                                service.name(),
                                service.baseUrl(),
                                service.pid(),
                                !service.name().equals(StackService.SANDBOX.moduleName()))));
        return services;
    }

    /** A child process; {@code prometheus}: whether it exposes {@code /actuator/prometheus} (not the sandbox). */
    public record ServiceInfo(String name, String baseUrl, long pid, boolean prometheus) {}

    /** The log file the launcher appends a service's output to (kept across its restarts). */
    public Path logFile(String service) {
        return find(service).logFile();
    }

    /** Should {@code service} exit within {@code hold} from now, the launcher restarts it only after that. */
    public void holdRestarts(String service, java.time.Duration hold) {
        find(service).holdRestarts(hold);
    }

    /** How many times the launcher restarted a service after it exited on its own. */
    public int restarts(String service) {
        return find(service).restarts();
    }

    private ServiceProcess find(String service) {
        return stack.services().stream()
                .filter(process -> process.name().equals(service))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + service));
    }

    /** Meta's signature of a body with the local app secret. */
    public String sign(String body) {
        return Banner.sign(appSecret(), body);
    }

    @Override
    public void close() {
        stack.stop();
    }
}
