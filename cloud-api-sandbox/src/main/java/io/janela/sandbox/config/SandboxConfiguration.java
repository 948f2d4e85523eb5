package io.janela.sandbox.config;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

@Configuration(proxyBeanMethods = false)
class SandboxConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock sandboxClock() {
        return Clock.systemUTC();
    }

    /** Posts webhooks; Boot 4 keeps WebClient's auto-configured builder in a module the sandbox does not need. */
    @Bean
    WebClient webhookClient() {
        return WebClient.create();
    }
}
