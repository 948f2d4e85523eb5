package io.janela.local.faults;

import io.janela.local.StackHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fault suite: scenarios that SIGKILL parts of the local stack mid-flow and check, from what Kafka holds
 * ({@code read_committed}) and what Prometheus would have scraped, that nothing acknowledged was lost and nothing was
 * doubled. Bounded in count and time, loopback only. Each scenario prints what was attempted, accepted, lost, doubled
 * and left without an outcome; the report goes to {@code report} too, and the process exits 1 when any invariant
 * broke.
 *
 * <p>Run: {@code ./mvnw -B -Pfaults -pl local-stack -am package -DskipTests} (from the repository root; arguments in
 * {@code -Dfaults.args="scenarios=window,metrics,overload,registry,silence,launcher contacts=1500 rate=50 kills=2"}).
 * Scenarios:
 *
 * <ul>
 *   <li>{@code window}: {@link WindowServiceKillScenario};
 *   <li>{@code metrics}: {@link MetricsServiceKillScenario};
 *   <li>{@code overload}: {@link IngressOverloadScenario} (Kafka throttles ingress until it answers 503);
 *   <li>{@code registry}: {@link RegistryOutageScenario} (the schema registry answers 503 for 90 s during sends,
 *       dispatch SIGKILLed inside the outage; template requests at a tenth of {@code rate});
 *   <li>{@code silence}: {@link DispatchIngressSilenceScenario} (dispatch and ingress SIGKILLed together, status
 *       webhooks silent for 3 minutes; template requests at a tenth of {@code rate});
 *   <li>{@code launcher}: {@link LauncherKillScenario} (the launcher, with the Kafka node and registry in its JVM,
 *       SIGKILLed mid-webhooks; a new launcher on the same data directory).
 * </ul>
 *
 * The dispatch-service's SIGKILL-mid-send scenario lives with dispatch (see docs/reliability.md).
 */
public final class FaultSuite {

    static final String COMMAND = "./mvnw -B -Pfaults -pl local-stack -am package -DskipTests";
    /** The scenarios that share one stack (started in this JVM); {@code launcher} runs launchers of its own. */
    static final List<String> ON_ONE_STACK = List.of("window", "metrics", "overload", "registry", "silence");

    static final String ALL = "window,metrics,overload,registry,silence,launcher";

    private FaultSuite() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (String arg : args.length == 1 ? args[0].trim().split("\\s+") : args) {
            String[] pair = arg.split("=", 2);
            if (pair.length == 2) {
                options.put(pair[0], pair[1]);
            }
        }
        Report report = run(options);
        System.out.println();
        System.out.println(report.text());
        System.out.println("Report written to " + report.file().toAbsolutePath());
        System.exit(report.passed() ? 0 : 1);
    }

    /**
     * What a run of the suite gives: whether every invariant held, the report's text and the file it was written to.
     */
    record Report(boolean passed, String text, Path file) {}

    /**
     * Runs the scenarios the options name (the same keys as the command line's; {@code data}: the directory the
     * shared stack keeps its data in, a new temporary one when absent) and writes the report.
     */
    static Report run(Map<String, String> options) throws IOException {
        List<String> scenarios =
                Arrays.asList(options.getOrDefault("scenarios", ALL).split(","));
        int contacts = Integer.parseInt(options.getOrDefault("contacts", "1500"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "50"));
        int kills = Integer.parseInt(options.getOrDefault("kills", "2"));
        Path report = Path.of(options.getOrDefault("report", "target/faults/report.md"));
        Path root = repositoryRoot();

        List<ScenarioResult> results = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                Locale.ROOT,
                "# Fault suite, %s%nload average at the start: %s; %d cores; options %s%n%n",
                Instant.now(),
                loadAverage(),
                Runtime.getRuntime().availableProcessors(),
                options));
        String command = COMMAND + " -Dfaults.args=\"scenarios=%s contacts=" + contacts + " rate=" + rate + " kills="
                + kills + "\"";
        if (scenarios.stream().anyMatch(ON_ONE_STACK::contains)) {
            Path data = options.containsKey("data")
                    ? Files.createDirectories(Path.of(options.get("data")))
                    : Files.createTempDirectory("janela-faults");
            text.append("Stack data (Kafka log, registry, services' logs): ")
                    .append(data)
                    .append("\n");
            long started = System.nanoTime();
            try (StackHandle stack = StackHandle.start(root, data, List.of())) {
                text.append(String.format(
                        Locale.ROOT,
                        "Stack (in-process Kafka node and registry, services as child JVMs) ready in %s%n%n",
                        ScenarioResult.seconds(Duration.ofNanos(System.nanoTime() - started))));
                if (scenarios.contains("window")) {
                    results.add(run(
                            () -> new WindowServiceKillScenario(stack, contacts, rate, kills)
                                    .run(command.formatted("window")),
                            WindowServiceKillScenario.NAME,
                            text));
                }
                if (scenarios.contains("metrics")) {
                    results.add(run(
                            () -> new MetricsServiceKillScenario(stack, contacts, rate, kills)
                                    .run(command.formatted("metrics")),
                            MetricsServiceKillScenario.NAME,
                            text));
                }
                if (scenarios.contains("overload")) {
                    results.add(run(
                            () -> new IngressOverloadScenario(stack, contacts, rate).run(command.formatted("overload")),
                            IngressOverloadScenario.NAME,
                            text));
                }
                if (scenarios.contains("registry")) {
                    results.add(run(
                            () -> new RegistryOutageScenario(stack, Math.max(1, rate / 10))
                                    .run(command.formatted("registry")),
                            RegistryOutageScenario.NAME,
                            text));
                }
                if (scenarios.contains("silence")) {
                    results.add(run(
                            () -> new DispatchIngressSilenceScenario(stack, Math.max(1, rate / 10))
                                    .run(command.formatted("silence")),
                            DispatchIngressSilenceScenario.NAME,
                            text));
                }
            }
        }
        if (scenarios.contains("launcher")) {
            Path data = Files.createTempDirectory("janela-faults-launcher");
            results.add(run(
                    () -> new LauncherKillScenario(root, data, contacts, rate).run(command.formatted("launcher")),
                    LauncherKillScenario.NAME,
                    text));
        }
        text.append(String.format(Locale.ROOT, "load average at the end: %s%n", loadAverage()));
        boolean passed = !results.isEmpty() && results.stream().allMatch(ScenarioResult::passed);
        text.append(passed ? "ALL INVARIANTS HELD\n" : "SOME INVARIANTS BROKE\n");
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, text, StandardCharsets.UTF_8);
        return new Report(passed, text.toString(), report);
    }

    private static ScenarioResult run(
            java.util.function.Supplier<ScenarioResult> scenario, String name, StringBuilder text) {
        long began = System.nanoTime();
        ScenarioResult result;
        try {
            result = scenario.get();
        } catch (RuntimeException e) {
            result = new ScenarioResult(name, "");
            result.check("the scenario ran to its end", false, e.toString());
            e.printStackTrace();
        }
        result.figure(
                "scenario took %s; load average now %s",
                ScenarioResult.seconds(Duration.ofNanos(System.nanoTime() - began)), loadAverage());
        System.out.println(result.text());
        text.append(result.text()).append('\n');
        return result;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static Path repositoryRoot() {
        Path root = Path.of(System.getProperty("janela.repository.root", ".."))
                .toAbsolutePath()
                .normalize();
        return Files.isDirectory(root.resolve("ingress-service"))
                ? root
                : Path.of(".").toAbsolutePath().normalize();
    }
}
