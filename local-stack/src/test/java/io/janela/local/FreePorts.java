package io.janela.local;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@code --port-offset} under which every port of the stack is free now, so that a test run collides with nothing,
 * and below the kernel's ephemeral port range, so that no outgoing connection (a client retrying a service that is
 * down can connect to itself) takes a port of the stack while a service restarts ({@link StackPorts}).
 */
final class FreePorts {

    static final int LOWEST_OFFSET = 10_000;

    private FreePorts() {}

    static int offset() {
        List<Integer> ports = StackPorts.all(0);
        int highest = ports.stream().mapToInt(Integer::intValue).max().orElseThrow();
        int slots = (StackPorts.ephemeralRange().low() - 1 - highest - LOWEST_OFFSET) / 100 + 1;
        if (slots < 1) {
            throw new IllegalStateException("no port offset keeps the stack below the ephemeral port range");
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            int offset = LOWEST_OFFSET + 100 * ThreadLocalRandom.current().nextInt(slots);
            if (StackPorts.all(offset).stream().allMatch(StackPorts::free)) {
                return offset;
            }
        }
        throw new IllegalStateException("no port offset with every port free");
    }
}
