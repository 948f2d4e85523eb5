package io.janela.window.benchmark;

import io.janela.window.WindowApplication;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Where the window-service's start goes (docs/benchmarks.md "JVM start"): starts {@link WindowApplication} once with
 * Spring's {@link BufferingApplicationStartup}, prints the CPU time the whole process used until the context was up
 * (every thread: JIT, GC, Kafka's), the classes loaded, Spring's steps by name and the slowest bean instantiations
 * (each without the beans it instantiated), then closes it. Its arguments are the service's ({@code --key=value}); it
 * needs a broker. Run it with the class path the service has in its image (the extracted jar plus this class in a
 * jar: class-data sharing archives nothing from a class directory) and any JVM options to compare.
 */
public final class StartupProfile {

    private StartupProfile() {}

    public static void main(String[] args) {
        long started = System.nanoTime();
        SpringApplication application = new SpringApplication(WindowApplication.class);
        BufferingApplicationStartup startup = new BufferingApplicationStartup(100_000);
        application.setApplicationStartup(startup);
        try (ConfigurableApplicationContext context = application.run(args)) {
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            System.out.printf(
                    "[startup-profile] context up after %.2f s (JVM up %.2f s); process CPU %.2f s; %,d classes loaded%n",
                    (System.nanoTime() - started) / 1e9,
                    ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0,
                    os.getProcessCpuTime() / 1e9,
                    ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
            List<TimelineEvent> events = startup.getBufferedTimeline().getEvents();
            Map<String, double[]> byName = new TreeMap<>();
            Map<Long, Double> instantiatedBelow = new HashMap<>();
            for (TimelineEvent event : events) {
                double seconds = event.getDuration().toNanos() / 1e9;
                double[] sum = byName.computeIfAbsent(event.getStartupStep().getName(), name -> new double[2]);
                sum[0] += seconds;
                sum[1]++;
                Long parent = event.getStartupStep().getParentId();
                if (parent != null && event.getStartupStep().getName().equals("spring.beans.instantiate")) {
                    instantiatedBelow.merge(parent, seconds, Double::sum);
                }
            }
            System.out.println("[startup-profile] Spring's steps by name: seconds (wall), count");
            byName.entrySet().stream()
                    .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
                    .limit(12)
                    .forEach(step -> System.out.printf(
                            "[startup-profile] %8.2f s %6.0f  %s%n",
                            step.getValue()[0], step.getValue()[1], step.getKey()));
            System.out.println("[startup-profile] slowest beans, without the beans they instantiated");
            events.stream()
                    .filter(event -> event.getStartupStep().getName().equals("spring.beans.instantiate"))
                    .map(event -> Map.entry(
                            beanName(event),
                            event.getDuration().toNanos() / 1e9
                                    - instantiatedBelow.getOrDefault(
                                            event.getStartupStep().getId(), 0.0)))
                    .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                    .limit(15)
                    .forEach(bean ->
                            System.out.printf("[startup-profile] %8.3f s  %s%n", bean.getValue(), bean.getKey()));
        }
        System.exit(0); // Kafka's and Netty's threads may outlive the context for a moment
    }

    private static String beanName(TimelineEvent event) {
        for (var tag : event.getStartupStep().getTags()) {
            if (tag.getKey().equals("beanName")) {
                return tag.getValue();
            }
        }
        return "?";
    }
}
