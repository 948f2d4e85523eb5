package io.janela.dispatch;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Sends outbound requests through the Cloud API under the window and template rules, and publishes one result each. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DispatchApplication {

    public static void main(String[] args) {
        SpringApplication.run(DispatchApplication.class, args);
    }
}
