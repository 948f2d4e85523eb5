package io.janela.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A {@code --port-offset} under which every port of the stack is free now, so that a test run collides with nothing. */
final class FreePorts {

    private FreePorts() {}

    static int offset() {
        List<Integer> ports = new java.util.ArrayList<>(List.of(
                LocalStack.KAFKA_PORT,
                LocalStack.KAFKA_CONTROLLER_PORT,
                LocalStack.REGISTRY_PORT,
                LocalStack.DEV_ENDPOINT_PORT));
        for (StackService service : StackService.values()) {
            ports.add(service.defaultPort());
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            int offset = 20_000 + 100 * ThreadLocalRandom.current().nextInt(200);
            if (ports.stream().allMatch(port -> free(port + offset))) {
                return offset;
            }
        }
        throw new IllegalStateException("no port offset with every port free");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
