package io.janela.ingress;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Receives Meta's webhooks, verifies their signatures and publishes them to Kafka as Avro. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IngressApplication {

    /** How this service names itself in dead-letter headers. */
    public static final String SERVICE_NAME = "ingress-service";

    public static void main(String[] args) {
        SpringApplication.run(IngressApplication.class, args);
    }
}
