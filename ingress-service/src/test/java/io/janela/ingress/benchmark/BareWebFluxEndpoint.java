package io.janela.ingress.benchmark;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The baseline: the same Spring Boot WebFlux stack (Reactor Netty, Actuator's HTTP metrics) answering the same POSTs
 * with 200 after reading the whole body, and doing nothing else: no signature, no parsing, no Kafka.
 *
 * <p>Deliberately not a {@code @Configuration}: the ingress application, started in the same JVM with test classes
 * on its class path, must not find it by component scan.
 */
@EnableAutoConfiguration(
        exclude = KafkaAutoConfiguration.class,
        excludeName = {
            "io.janela.contract.spring.JanelaTopicsAutoConfiguration",
            "io.janela.contract.spring.JanelaStreamsAutoConfiguration"
        })
class BareWebFluxEndpoint {

    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    @Bean
    RouterFunction<ServerResponse> bareWebhook() {
        return RouterFunctions.route()
                .POST(
                        "/webhooks/whatsapp",
                        request -> DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), MAX_BODY_BYTES)
                                .doOnNext(DataBufferUtils::release)
                                .then(ServerResponse.ok().build()))
                .build();
    }
}
