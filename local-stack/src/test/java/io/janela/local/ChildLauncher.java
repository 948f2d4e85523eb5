package io.janela.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The launcher itself as a child JVM (with its Kafka node and registry inside it, as {@code ./mvnw -Prun} runs them),
 * so that a fault scenario can SIGKILL it and start another on the same data directory and ports. Its output is
 * appended to {@code launcher.log} in the data directory.
 */
public final class ChildLauncher implements AutoCloseable {

    private final Path repositoryRoot;
    private final Path dataDirectory;
    private final int portOffset;
    private Process process;

    private ChildLauncher(Path repositoryRoot, Path dataDirectory, int portOffset) {
        this.repositoryRoot = repositoryRoot;
        this.dataDirectory = dataDirectory;
        this.portOffset = portOffset;
    }

    /** A launcher for {@code dataDirectory} on ports that are free now; {@link #start()} runs it. */
    public static ChildLauncher prepare(Path repositoryRoot, Path dataDirectory) {
        return new ChildLauncher(repositoryRoot, dataDirectory, FreePorts.offset());
    }

    /** Starts a launcher process; it stops the leftovers of an earlier one first, as {@code ./mvnw -Prun} does. */
    public synchronized void start() {
        try {
            Files.createDirectories(dataDirectory);
            process = new ProcessBuilder(List.of(
                            ProcessHandle.current().info().command().orElse("java"),
                            "-Dlauncher.of=" + dataDirectory.getFileName(),
                            "-Xmx768m",
                            "-Djanela.repository.root=" + repositoryRoot,
                            "-cp",
                            System.getProperty("java.class.path"),
                            LocalStack.class.getName(),
                            "--data-dir=" + dataDirectory,
                            "--port-offset=" + portOffset))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dataDirectory.resolve("launcher.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the launcher", e);
        }
    }

    /**
     * Whether every service of the stack is a child of this launcher process (by its pid file: the leftovers of a
     * killed launcher still answer on the same ports until the new one stops them) and answers its readiness probe.
     */
    public boolean ready() {
        if (process == null || !process.isAlive()) {
            return false;
        }
        for (StackService service : StackService.values()) {
            if (!ours(service)
                    || !LocalHttp.answers200("http://127.0.0.1:" + port(service) + "/actuator/health/readiness")) {
                return false;
            }
        }
        return true;
    }

    private boolean ours(StackService service) {
        Path pidFile = dataDirectory.resolve("run").resolve(service.moduleName() + ".pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim().split(" ", 2)[0]);
            return ProcessHandle.of(pid)
                    .flatMap(ProcessHandle::parent)
                    .map(parent -> parent.pid() == process.pid())
                    .orElse(false);
        } catch (IOException | RuntimeException e) {
            return false; // not written yet
        }
    }

    /** SIGKILL: no shutdown hook runs, so its services are left running without their broker. */
    public synchronized void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The {@code --port-offset} of every launcher of this data directory. */
    public int portOffset() {
        return portOffset;
    }

    /** The kernel's ephemeral port range, for a report (the stack's ports are chosen below it). */
    public static String ephemeralRange() {
        StackPorts.Range range = StackPorts.ephemeralRange();
        return range.low() + "-" + range.high();
    }

    /** SIGTERM (the launcher stops its services gracefully), then whatever an earlier launcher left running. */
    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(90, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        StalePids.stopLeftovers(dataDirectory.resolve("run"));
    }

    public String webhookUrl() {
        return "http://127.0.0.1:" + port(StackService.INGRESS) + "/webhooks/whatsapp";
    }

    public String baseUrl(String module) {
        for (StackService service : StackService.values()) {
            if (service.moduleName().equals(module)) {
                return "http://127.0.0.1:" + port(service);
            }
        }
        throw new IllegalArgumentException("no service " + module);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + (LocalStack.KAFKA_PORT + portOffset);
    }

    public String registryUrl() {
        return "http://127.0.0.1:" + (LocalStack.REGISTRY_PORT + portOffset);
    }

    public String phoneNumberId() {
        return StackService.PHONE_NUMBER_ID;
    }

    /** Meta's signature of a body with the stack's app secret (created by the first launcher in the directory). */
    public String sign(String body) {
        return Banner.sign(LocalSecrets.loadOrCreate(dataDirectory).appSecret(), body);
    }

    private int port(StackService service) {
        return service.defaultPort() + portOffset;
    }
}
