package io.janela.sandbox;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * One {@link WebhookReceiver} per test context, closed with it, and the sandbox's webhook URL pointing at it. A bean
 * rather than a static field of each test class: the context, not the class, owns the sandbox that posts to it.
 */
@TestConfiguration(proxyBeanMethods = false)
class WebhookReceiverConfiguration {

    @Bean(destroyMethod = "close")
    WebhookReceiver webhookReceiver() {
        return new WebhookReceiver();
    }

    @Bean
    DynamicPropertyRegistrar sandboxWebhookUrl(WebhookReceiver receiver) {
        return registry -> registry.add("janela.sandbox.webhook-url", receiver::url);
    }
}
