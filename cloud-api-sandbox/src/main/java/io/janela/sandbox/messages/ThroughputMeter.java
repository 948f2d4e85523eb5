package io.janela.sandbox.messages;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Counts sends per business number over the last second, to answer 130429 above a number's throughput limit. */
@Component
class ThroughputMeter {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private final Map<String, Deque<Instant>> recent = new HashMap<>();

    /** Counts a send at {@code now} unless {@code limit} sends happened in the second before it. */
    synchronized boolean tryAcquire(String phoneNumberId, int limit, Instant now) {
        Deque<Instant> times = recent.computeIfAbsent(phoneNumberId, id -> new ArrayDeque<>());
        Instant horizon = now.minus(SECOND);
        while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
            times.removeFirst();
        }
        if (times.size() >= limit) {
            return false;
        }
        times.addLast(now);
        return true;
    }

    synchronized void clear() {
        recent.clear();
    }
}
