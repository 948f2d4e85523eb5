package io.janela.local;

import io.janela.local.demo.Demo;
import io.janela.local.demo.DemoTarget;
import io.janela.local.outbound.DevEndpoint;
import io.janela.local.outbound.OutboundPublisher;
import io.janela.localkafka.LocalKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Janela on one machine: a Kafka node (KRaft) in this JVM, a schema registry over HTTP, then each service as a child
 * JVM, each on its own port and pointed at both. Ctrl-C (or SIGTERM) stops the services first, each with Spring's
 * graceful shutdown, then the registry, then the broker, so that no state is left half-written.
 */
public final class LocalStack {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    static final int KAFKA_PORT = 9092;
    static final int KAFKA_CONTROLLER_PORT = 9093;
    static final int REGISTRY_PORT = 8085;
    static final int DEV_ENDPOINT_PORT = 8079;
    /** Per service; generous because on a loaded laptop a JVM and Spring can take minutes (192 s seen at load 50). */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    private static final Duration SERVICE_GRACE = Duration.ofSeconds(45);

    private final LocalStackOptions options;
    private final Path repositoryRoot;
    private final List<ServiceProcess> services = new ArrayList<>();
    private LocalKafkaBroker broker;
    private LocalSchemaRegistryServer registry;
    private LocalSecrets secrets;
    private OutboundPublisher outbound;
    private DevEndpoint devEndpoint;
    private List<String> topics = List.of();

    LocalStack(LocalStackOptions options, Path repositoryRoot) {
        this.options = options;
        this.repositoryRoot = repositoryRoot;
    }

    public static void main(String[] args) throws InterruptedException {
        LocalStackOptions options;
        try {
            options = LocalStackOptions.parse(List.of(args));
        } catch (LocalStackOptions.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println(e.getMessage());
            }
            System.err.print(LocalStackOptions.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        LocalStack stack = new LocalStack(options, repositoryRoot());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stack.stop();
                            stopped.countDown();
                        },
                        "local-stack-shutdown"));
        try {
            stack.start();
        } catch (RuntimeException e) {
            log.error("The local stack could not start: {}", e.getMessage());
            System.exit(1);
        }
        System.out.println(Banner.text(stack));
        if (options.demo()) {
            try {
                System.out.println(stack.demo().play().text());
            } catch (RuntimeException e) {
                log.error("The demo could not finish: {}", e.getMessage(), e);
            }
        }
        stopped.await();
    }

    void start() {
        if (options.clean()) {
            deleteRecursively(options.dataDirectory());
        }
        boolean afterCrash = StalePids.stopLeftovers(pidDirectory()) > 0;
        // Only once the leftovers are gone: their ports (and their connections' TIME_WAIT) must be free to bind.
        List<Integer> ports = StackPorts.all(options.portOffset());
        StackPorts.warnIfEphemeral(ports);
        StackPorts.awaitFree(ports, StackPorts.WAIT_FOR_FREE);
        secrets = LocalSecrets.loadOrCreate(options.dataDirectory());
        // Topics a service creates without a partition count get the count every service declares.
        broker = LocalKafkaBroker.start(
                options.dataDirectory().resolve("kafka"),
                KAFKA_PORT + options.portOffset(),
                KAFKA_CONTROLLER_PORT + options.portOffset(),
                Map.of("num.partitions", Integer.toString(options.partitions())));
        registry = LocalSchemaRegistryServer.start(
                REGISTRY_PORT + options.portOffset(), options.dataDirectory().resolve("schema-registry.jsonl"));
        ContractRegistration.register(registry.url());
        topics = StackTopics.ensure(broker.bootstrapServers(), options.partitions());
        outbound = new OutboundPublisher(broker.bootstrapServers(), registry.url());
        devEndpoint =
                DevEndpoint.start(DEV_ENDPOINT_PORT + options.portOffset(), outbound, StackService.PHONE_NUMBER_ID);
        if (afterCrash) {
            // An earlier launcher died without stopping its stack: Meta's retries are waiting. Ingress alone first, so
            // that its start does not share the CPU with five other JVM starts; then the rest.
            log.warn("Recovering from a launcher that was killed: starting ingress-service first");
            startService(StackService.INGRESS).awaitReady(READY_TIMEOUT);
        }
        for (StackService service : StackService.values()) {
            if (!(afterCrash && service == StackService.INGRESS)) {
                startService(service);
            }
        }
        for (ServiceProcess service : services) {
            service.awaitReady(READY_TIMEOUT);
        }
    }

    private ServiceProcess startService(StackService service) {
        ServiceProcess process = ServiceProcess.start(
                service.moduleName(),
                service.jar(repositoryRoot),
                port(service),
                service.jvmOptions(),
                service.properties(this),
                service.environment(this),
                options.dataDirectory().resolve("logs"),
                pidDirectory());
        services.add(process);
        return process;
    }

    /** Services first (in parallel: each gets SIGTERM and its grace period), then the registry, then the broker. */
    synchronized void stop() {
        services.forEach(ServiceProcess::requestStop);
        for (ServiceProcess service : services) {
            service.stop(SERVICE_GRACE);
        }
        services.clear();
        if (devEndpoint != null) {
            devEndpoint.close();
            devEndpoint = null;
        }
        if (outbound != null) {
            outbound.close();
            outbound = null;
        }
        if (registry != null) {
            registry.close();
            registry = null;
        }
        if (broker != null) {
            broker.stop();
            broker = null;
        }
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    int port(StackService service) {
        return service.defaultPort() + options.portOffset();
    }

    String baseUrl(StackService service) {
        return "http://127.0.0.1:" + port(service);
    }

    /** Where Meta (here, the sandbox) posts webhooks: ingress. */
    String webhookUrl() {
        return baseUrl(StackService.INGRESS) + "/webhooks/whatsapp";
    }

    String devEndpointUrl() {
        return devEndpoint.url();
    }

    String resolutionsUrl() {
        return devEndpoint.resolutionsUrl();
    }

    OutboundPublisher outbound() {
        return outbound;
    }

    List<String> topics() {
        return topics;
    }

    /** The demonstration scenario, against this stack. */
    Demo demo() {
        return new Demo(new DemoTarget(
                StackService.PHONE_NUMBER_ID,
                StackService.WABA_ID,
                baseUrl(StackService.SANDBOX),
                baseUrl(StackService.INGRESS),
                baseUrl(StackService.WINDOW),
                baseUrl(StackService.DISPATCH),
                baseUrl(StackService.METRICS),
                bootstrapServers(),
                registryUrl(),
                options.effectiveWindowLength(),
                outbound,
                baseUrl(StackService.SURVEY)));
    }

    String registryUrl() {
        return registry.url();
    }

    /** A registry outage ({@code true}: every call answered 503) or its end; the fault suite's registry scenario. */
    void registryUnavailable(boolean unavailable) {
        registry.unavailable(unavailable);
    }

    /** Registry calls answered 503 by an outage so far. */
    long registryCallsRefused() {
        return registry.refused();
    }

    LocalSecrets secrets() {
        return secrets;
    }

    LocalStackOptions options() {
        return options;
    }

    List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    Path stateDirectory(String service) {
        return options.dataDirectory().resolve("state").resolve(service);
    }

    /** One {@code <service>.pid} per running service. */
    private Path pidDirectory() {
        return options.dataDirectory().resolve("run");
    }

    /** The repository holding the service modules: set by the run command, else the working directory. */
    private static Path repositoryRoot() {
        return Path.of(System.getProperty("janela.repository.root", "."))
                .toAbsolutePath()
                .normalize();
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
