package io.janela.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for a service in a child JVM: answers 200 on {@code /actuator/health/readiness} at {@code
 * --server.port=N} on loopback and runs until killed. With {@code --hang-on-term} its shutdown hook never finishes,
 * like a service whose graceful shutdown waits for a broker that is gone.
 */
public final class ReadinessStub {

    private ReadinessStub() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        int port = 0;
        boolean hangOnTerm = false;
        for (String arg : args) {
            if (arg.startsWith("--server.port=")) {
                port = Integer.parseInt(arg.substring("--server.port=".length()));
            } else if (arg.equals("--hang-on-term")) {
                hangOnTerm = true;
            }
        }
        if (hangOnTerm) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/actuator/health/readiness", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        System.out.println("stub started, pid " + ProcessHandle.current().pid());
        new CountDownLatch(1).await();
    }
}
