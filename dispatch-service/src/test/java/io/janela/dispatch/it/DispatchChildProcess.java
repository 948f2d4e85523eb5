package io.janela.dispatch.it;

import static org.awaitility.Awaitility.await;

import io.janela.dispatch.DispatchApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The dispatch-service in a child JVM (this test's class path, {@link DispatchApplication} as the main class), so that a
 * test can kill it with SIGKILL: no shutdown hook, no graceful stop, nothing flushed, as when a pod's node dies. Its
 * output is appended to a log file.
 */
final class DispatchChildProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;

    private DispatchChildProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the service with these properties (as {@code --key=value} arguments) on a free port.
     *
     * @param log the file its output is appended to
     */
    static DispatchChildProcess start(Map<String, Object> properties, Path log) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                // A JVM that crashes (SIGSEGV in native code) writes its report next to the child's log.
                "-XX:ErrorFile=" + log.toAbsolutePath().resolveSibling("hs_err_pid%p.log"),
                "-cp",
                System.getProperty("java.class.path"),
                DispatchApplication.class.getName()));
        Map<String, Object> all = new java.util.LinkedHashMap<>(properties);
        all.put("server.port", port);
        all.forEach((key, value) -> command.add("--" + key + "=" + value));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new DispatchChildProcess(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the service's readiness (the sender's loop included) answers 200. */
    DispatchChildProcess awaitReady(Duration timeout) {
        HttpRequest probe = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2))
                .build();
        await("the dispatch-service child JVM is ready")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsMatching(e -> e instanceof IOException)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the child exited with " + process.exitValue());
                    }
                    return HTTP.send(probe, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                });
        return this;
    }

    /** Whether the service is still running (it exits by itself when it cannot start). */
    boolean alive() {
        return process.isAlive();
    }

    /** The HTTP port it listens on. */
    int port() {
        return port;
    }

    /**
     * SIGTERM, as Kubernetes stops a pod: Spring's graceful shutdown runs. Waits until the process is gone.
     *
     * @return its exit code (143 when the JVM ended on the signal after its shutdown hooks, 134 when it crashed)
     */
    int terminate(Duration timeout) {
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new IllegalStateException("the child did not stop within " + timeout + " of SIGTERM");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() {
        process.toHandle().destroyForcibly();
        process.onExit().join();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
