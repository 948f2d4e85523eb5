package io.janela.sandbox;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A stand-in for Meta's WhatsApp Cloud API: {@code POST /{version}/{phone-number-id}/messages} and
 * {@code GET /{version}/{waba-id}/message_templates} answer in Meta's shapes, the 24-hour customer service window is
 * enforced from the inbound messages the sandbox is told about, errors and latency can be injected, and status
 * webhooks are posted, signed, to a configured URL. Start it with {@link CloudApiSandbox}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CloudApiSandboxApplication {

    public static void main(String[] args) {
        CloudApiSandbox.application().run(args);
    }
}
