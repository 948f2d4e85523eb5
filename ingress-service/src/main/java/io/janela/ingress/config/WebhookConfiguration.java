package io.janela.ingress.config;

import io.janela.contract.JanelaTopics;
import io.janela.ingress.IngressApplication;
import io.janela.ingress.handshake.VerificationHandshake;
import io.janela.ingress.parse.WebhookParser;
import io.janela.ingress.publish.OutgoingRecords;
import io.janela.ingress.publish.RecordPublisher;
import io.janela.ingress.publish.SchemaWarmUp;
import io.janela.ingress.signature.SignatureVerifier;
import io.janela.ingress.webhook.WebhookHandler;
import io.janela.ingress.webhook.WebhookIngestion;
import io.janela.ingress.webhook.WebhookMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
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

    private static final Duration SCHEMA_RETRY = Duration.ofSeconds(5);

    @Bean
    WebhookMetrics webhookMetrics(MeterRegistry registry, IngressProperties ingress) {
        return new WebhookMetrics(registry, ingress.appSecrets().size());
    }

    @Bean
    OutgoingRecords outgoingRecords(JanelaTopics topics) {
        return new OutgoingRecords(topics, Clock.systemUTC(), IngressApplication.SERVICE_NAME);
    }

    /** Serialisers learn their schema ids at start, off the event loops, retrying while the registry is away. */
    @Bean
    SchemaWarmUp schemaWarmUp(OutgoingRecords outgoing) {
        SchemaWarmUp warmUp = new SchemaWarmUp(outgoing);
        warmUp.start(Schedulers.boundedElastic(), SCHEMA_RETRY);
        return warmUp;
    }

    @Bean
    WebhookIngestion webhookIngestion(
            OutgoingRecords outgoing, RecordPublisher publisher, WebhookMetrics metrics, IngressProperties ingress) {
        return new WebhookIngestion(
                new WebhookParser(),
                outgoing,
                publisher,
                metrics,
                Clock.systemUTC(),
                ingress.maxFutureTimestamp(),
                ingress.oldDatedAfter());
    }

    @Bean
    WebhookHandler webhookHandler(
            IngressProperties ingress,
            WebhookIngestion ingestion,
            WebhookMetrics metrics,
            SchemaWarmUp schemas,
            KafkaPublishingConfiguration.PublishLimits limits) {
        return new WebhookHandler(
                new VerificationHandshake(ingress.verifyToken()),
                new SignatureVerifier(ingress.appSecrets()),
                ingestion,
                metrics,
                Schedulers.parallel(),
                Schedulers.boundedElastic(),
                schemas,
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
