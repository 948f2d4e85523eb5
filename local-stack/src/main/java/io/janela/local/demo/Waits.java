package io.janela.local.demo;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for the stack to reach a state, by looking again every quarter second. */
final class Waits {

    private Waits() {}

    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting (" + timeout.toSeconds() + " s) for " + what);
            }
            pause(Duration.ofMillis(250));
        }
    }

    static void pause(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
