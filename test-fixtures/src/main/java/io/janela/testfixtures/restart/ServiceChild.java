package io.janela.testfixtures.restart;

import io.janela.testfixtures.restart.RestartTarget.Rebuild;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A service in a child JVM, started with this JVM's class path; its output appended to one log file. */
final class ServiceChild {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final int port;
    private final long started;

    private ServiceChild(String name, Process process, int port, long started) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.started = started;
    }

    /**
     * Starts {@code target}'s application with these JVM options and properties ({@code --key=value}).
     *
     * @param app the jar to run with {@code -jar}; null for this JVM's class path and the target's application class
     */
    static ServiceChild start(RestartTarget target, Map<String, Object> properties, Path app, String jvm, Path log) {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(jvm.trim().split("\\s+")));
        command.addAll(
                app == null
                        ? List.of(
                                "-cp",
                                System.getProperty("java.class.path"),
                                target.application().getName())
                        : List.of("-jar", app.toString()));
        Map<String, Object> all = new LinkedHashMap<>(properties);
        all.put("server.port", port);
        all.putAll(target.portProperties(port));
        all.forEach((key, value) -> command.add("--" + key + "=" + value));
        try {
            long started = System.nanoTime();
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ServiceChild(target.name(), process, port, started);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The CPU time the child has used so far, all its threads (JIT, GC, Kafka's): what a start costs, which the wall
     * clock shows only divided by the share of the cores the child got on a shared machine.
     */
    Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** From the start until readiness answers 200 (UP once Kafka Streams RUNS). */
    Duration awaitReady(Duration limit) throws InterruptedException {
        return awaitStatus("/actuator/health/readiness", limit);
    }

    /** From the start until {@code path} answers 200. */
    Duration awaitStatus(String path, Duration limit) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = started + limit.toNanos();
        while (System.nanoTime() < deadline) {
            checkAlive();
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return sinceStart();
                }
            } catch (IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException(path + " did not answer 200 within " + limit);
    }

    /** The time since this child's start. */
    Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Fails when the process has exited. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the " + name + " exited with " + process.exitValue());
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * From the start until the rebuild timer has counted every rebuild of a start (each task records its own when its
     * rebuild is complete); null when that did not happen within {@code limit}.
     */
    Duration awaitRebuilds(Rebuild rebuild, Duration limit) throws InterruptedException {
        long deadline = started + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (sample(scrape(), rebuild.timer() + "_count") >= rebuild.rebuilds()) {
                    return sinceStart();
                }
            } catch (IOException e) {
                // a scrape that failed is tried again
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return null;
    }

    /** The deadline index's rebuild timer from /actuator/prometheus: rebuilds, total and longest. */
    String rebuildTimer(Rebuild rebuild) throws IOException, InterruptedException {
        String scrape = scrape();
        double max = scrape.lines()
                .filter(line -> line.startsWith(rebuild.timer() + "_max"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .max()
                .orElse(Double.NaN);
        return String.format(
                "%.0f rebuilds, %.2f s in all, longest %.2f s",
                sample(scrape, rebuild.timer() + "_count"), sample(scrape, rebuild.timer() + "_sum"), max);
    }

    private String scrape() throws IOException, InterruptedException {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static double sample(String scrape, String name) {
        return scrape.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** SIGTERM, and waits until the process has exited (graceful shutdown closes Kafka Streams). */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the " + name + " did not stop within 90 s of SIGTERM");
        }
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() {
        process.toHandle().destroyForcibly();
        process.onExit().join();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
