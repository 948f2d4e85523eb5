package io.janela.sandbox.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/** The injected faults, latency and intake jitter; faults in the order they were added; each fault is used up by the sends it answers. */
@Component
public class FaultPlan {

    private final List<Fault> faults = new ArrayList<>();
    private volatile Duration fixedLatency = Duration.ZERO;
    private volatile Duration latencyJitter = Duration.ZERO;
    private volatile Duration intakeJitter = Duration.ZERO;

    public synchronized void add(Fault fault) {
        faults.add(fault);
    }

    /** The first fault that applies to this send, used once. */
    public synchronized Optional<Fault> take(String phoneNumberId, String recipient) {
        for (int i = 0; i < faults.size(); i++) {
            Fault fault = faults.get(i);
            if (fault.matches(phoneNumberId, recipient)) {
                if (fault.count() == 1) {
                    faults.remove(i);
                } else {
                    faults.set(i, fault.used());
                }
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    /** Every answer waits {@code fixed} plus a uniform random part of {@code jitter}. */
    public void latency(Duration fixed, Duration jitter) {
        fixedLatency = fixed;
        latencyJitter = jitter;
    }

    /**
     * Every send waits a uniform random part of {@code jitter} before the sandbox takes it in: times its arrival,
     * counts it against its number's throughput, answers it. A receiver's intake is not instant; a client that paces
     * its calls by when they left sees such a receiver count calls that left over more than a second within one.
     */
    public void intakeJitter(Duration jitter) {
        intakeJitter = jitter;
    }

    public Duration nextIntakeDelay() {
        return upTo(intakeJitter);
    }

    public Duration nextLatency() {
        return fixedLatency.plus(upTo(latencyJitter));
    }

    /** A uniform random wait from 0 to {@code jitter}, whole milliseconds. */
    private static Duration upTo(Duration jitter) {
        long millis = jitter.toMillis();
        return millis <= 0
                ? Duration.ZERO
                : Duration.ofMillis(ThreadLocalRandom.current().nextLong(millis + 1));
    }

    public synchronized void clear() {
        faults.clear();
        latency(Duration.ZERO, Duration.ZERO);
        intakeJitter(Duration.ZERO);
    }
}
