package io.janela.sandbox.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/** The injected faults and latency, in the order they were added; each fault is used up by the sends it answers. */
@Component
public class FaultPlan {

    private final List<Fault> faults = new ArrayList<>();
    private volatile Duration fixedLatency = Duration.ZERO;
    private volatile Duration latencyJitter = Duration.ZERO;

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

    public Duration nextLatency() {
        long jitter = latencyJitter.toMillis();
        return jitter <= 0
                ? fixedLatency
                : fixedLatency.plusMillis(ThreadLocalRandom.current().nextLong(jitter + 1));
    }

    public synchronized void clear() {
        faults.clear();
        latency(Duration.ZERO, Duration.ZERO);
    }
}
