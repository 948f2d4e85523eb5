package io.janela.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fault scenarios' webhook sender against a loopback server that refuses the first POST of each webhook. */
class MetaLikeSenderTest {

    private final Map<String, AtomicInteger> postsByBody = new ConcurrentHashMap<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void retriesEveryWebhookAnswered503UntilItsTwoHundred() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/webhooks/whatsapp", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes());
            int posts =
                    postsByBody.computeIfAbsent(body, b -> new AtomicInteger()).incrementAndGet();
            boolean signed = "sig".equals(exchange.getRequestHeaders().getFirst("X-Hub-Signature-256"));
            exchange.sendResponseHeaders(signed && posts > 1 ? 200 : 503, -1);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks/whatsapp";

        try (MetaLikeSender sender = new MetaLikeSender(url, body -> "sig")) {
            sender.send("100", "t", 5, 100, index -> {}, () -> false);

            assertThat(sender.awaitAllAccepted(Duration.ofSeconds(20))).isTrue();
            assertThat(sender.attempted()).isEqualTo(5);
            assertThat(sender.acceptedCount()).isEqualTo(5);
            assertThat(sender.withoutOutcome()).isZero();
            assertThat(sender.unavailableAnswers()).isEqualTo(5);
            assertThat(sender.posts()).isEqualTo(10);
            assertThat(sender.accepted())
                    .extracting(MetaLikeSender.Webhook::contactKey)
                    .doesNotHaveDuplicates()
                    .allMatch(key -> key.startsWith("100:BR.faultt"));
        }
    }
}
