package io.janela.window;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Keeps each contact's customer service window in Kafka Streams and emits opened, closing-soon and closed events. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WindowApplication {

    public static void main(String[] args) {
        SpringApplication.run(WindowApplication.class, args);
    }
}
