package io.janela.ingress.config;

import io.janela.contract.JanelaTopics;
import io.janela.ingress.IngressApplication;
import io.janela.ingress.handshake.VerificationHandshake;
import io.janela.ingress.parse.WebhookParser;
import io.janela.ingress.publish.OutgoingRecords;
import io.janela.ingress.publish.RecordPublisher;
import io.janela.ingress.signature.SignatureVerifier;
import io.janela.ingress.webhook.WebhookHandler;
import io.janela.ingress.webhook.WebhookIngestion;
import io.janela.ingress.webhook.WebhookMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.scheduler.Schedulers;

/** The webhook endpoint and what stands behind it. */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

    /** Meta's Callback URL path: the GET handshake and the POSTed webhooks. */
    static final String WEBHOOK_PATH = "/webhooks/whatsapp";

    @Bean
    WebhookMetrics webhookMetrics(MeterRegistry registry, IngressProperties ingress) {
        return new WebhookMetrics(registry, ingress.appSecrets().size());
    }

    @Bean
    WebhookIngestion webhookIngestion(
            JanelaTopics topics, RecordPublisher publisher, WebhookMetrics metrics, IngressProperties ingress) {
        Clock clock = Clock.systemUTC();
        return new WebhookIngestion(
                new WebhookParser(),
                new OutgoingRecords(topics, clock, IngressApplication.SERVICE_NAME),
                publisher,
                metrics,
                clock,
                ingress.maxFutureTimestamp());
    }

    @Bean
    WebhookHandler webhookHandler(
            IngressProperties ingress,
            WebhookIngestion ingestion,
            WebhookMetrics metrics,
            KafkaPublishingConfiguration.PublishLimits limits) {
        return new WebhookHandler(
                new VerificationHandshake(ingress.verifyToken()),
                new SignatureVerifier(ingress.appSecrets()),
                ingestion,
                metrics,
                Schedulers.parallel(),
                ingress.maxBodyBytes(),
                (int) ingress.inlineBodyLimit().toBytes(),
                limits.backstop());
    }

    @Bean
    RouterFunction<ServerResponse> webhookRoutes(WebhookHandler handler) {
        return RouterFunctions.route()
                .GET(WEBHOOK_PATH, handler::verify)
                .POST(WEBHOOK_PATH, handler::receive)
                .build();
    }
}
