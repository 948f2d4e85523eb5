package io.janela.local.faults;

import io.janela.local.demo.PrometheusText;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A counter as Prometheus accumulates it over scrapes of a process that may restart: each process (told apart by
 * {@code process_start_time_seconds}) counts from zero, and the total is the sum of the last value scraped from each.
 * What a process counted but no scrape showed before it died is not in the total; that is what a fault scenario
 * checks the service records again.
 */
final class PrometheusCounter {

    private final String meter;
    private final Predicate<PrometheusText.Sample> series;
    private final Map<Double, Double> lastByProcess = new LinkedHashMap<>();
    private long scrapes;

    PrometheusCounter(String meter, Predicate<PrometheusText.Sample> series) {
        this.meter = meter;
        this.series = series;
    }

    synchronized void observe(PrometheusText page) {
        double process = page.sum("process_start_time_seconds");
        lastByProcess.put(process, page.sum(meter, series));
        scrapes++;
    }

    synchronized double total() {
        return lastByProcess.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Processes seen after the first: the counter resets Prometheus saw. */
    synchronized int resets() {
        return Math.max(0, lastByProcess.size() - 1);
    }

    synchronized long scrapes() {
        return scrapes;
    }
}
