package io.janela.sandbox;

import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An HTTP endpoint that answers 200 to every POST and keeps what it received: a webhook target for tests. */
final class WebhookReceiver implements AutoCloseable {

    record Delivery(byte[] body, String signature) {}

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private volatile int skipped;

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/webhook", exchange -> {
            deliveries.add(new Delivery(
                    exchange.getRequestBody().readAllBytes(),
                    exchange.getRequestHeaders().getFirst("X-Hub-Signature-256")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook";
    }

    /** What arrived so far is no longer counted by {@link #awaitNext(int)}. */
    void skipDelivered() {
        skipped = deliveries.size();
    }

    /** The first {@code count} deliveries after the skipped ones, waiting up to 30 s for them. */
    List<Delivery> awaitNext(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.size() >= skipped + count);
        return List.copyOf(deliveries.subList(skipped, skipped + count));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
