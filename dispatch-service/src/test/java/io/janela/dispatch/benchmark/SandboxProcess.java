package io.janela.dispatch.benchmark;

import io.janela.sandbox.CloudApiSandboxApplication;
import io.janela.sandbox.SandboxControl;
import java.io.IOException;
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
 * The Cloud API sandbox in a JVM of its own (this JVM's class path, {@link CloudApiSandboxApplication} as the main
 * class), so that the receiver's intake does not share the sender's heap, garbage collector and threads: what it
 * measures as a call's arrival is then its own process's moment, as Meta's is. Its output goes to a log file.
 */
final class SandboxProcess implements SendRateBenchmark.Receiver {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final URI baseUrl;

    private SandboxProcess(Process process, URI baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /** Starts the sandbox with these properties (as {@code --key=value}) on a free port and waits until it is ready. */
    static SandboxProcess start(Map<String, ?> properties, Path log) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                CloudApiSandboxApplication.class.getName(),
                "--server.port=" + port));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        SandboxProcess sandbox = new SandboxProcess(process, URI.create("http://127.0.0.1:" + port));
        try {
            sandbox.awaitReady(Duration.ofSeconds(120));
        } catch (RuntimeException | InterruptedException e) {
            sandbox.close();
            throw e;
        }
        return sandbox;
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        HttpRequest probe = HttpRequest.newBuilder(baseUrl.resolve("/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the sandbox's JVM exited with " + process.exitValue());
            }
            try {
                if (HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException("the sandbox's JVM was not ready within " + timeout);
    }

    @Override
    public URI baseUrl() {
        return baseUrl;
    }

    @Override
    public SandboxControl control() {
        return new SandboxControl(baseUrl);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
