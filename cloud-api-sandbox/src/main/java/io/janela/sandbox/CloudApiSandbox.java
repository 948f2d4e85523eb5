package io.janela.sandbox;

import java.net.URI;
import java.util.Map;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Starts the sandbox: from {@code main}, or inside another JVM (integration tests, the local stack) with
 * {@link #start(Map)}. Its configuration file is {@code cloud-api-sandbox.yml}, not {@code application.yml}, so that it
 * never picks up the configuration of an application it runs next to.
 */
public final class CloudApiSandbox implements AutoCloseable {

    /** The name of the sandbox's configuration file ({@code cloud-api-sandbox.yml}). */
    public static final String CONFIG_NAME = "cloud-api-sandbox";

    private final ConfigurableApplicationContext context;

    private CloudApiSandbox(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static SpringApplication application() {
        return new SpringApplicationBuilder(CloudApiSandboxApplication.class)
                .web(WebApplicationType.REACTIVE)
                .properties("spring.config.name=" + CONFIG_NAME)
                .initializers(CloudApiSandbox::ownNettyResources)
                .build();
    }

    /**
     * Reactor Netty's global event loops are shared by every Spring application in a JVM, and an application that
     * closes disposes of them: the sandbox uses its own, so that it neither stops nor is stopped by the application it
     * runs next to.
     */
    private static void ownNettyResources(ConfigurableApplicationContext context) {
        context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof ReactorResourceFactory factory) {
                    factory.setUseGlobalResources(false);
                }
                return bean;
            }
        });
    }

    /**
     * Starts a sandbox with these properties on top of its defaults, e.g. {@code server.port=0} (a free port),
     * {@code janela.sandbox.webhook-url}, {@code janela.sandbox.app-secret}.
     */
    public static CloudApiSandbox start(Map<String, ?> properties) {
        // As command-line arguments: they win over cloud-api-sandbox.yml, as a caller expects.
        String[] args = properties.entrySet().stream()
                .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new);
        return new CloudApiSandbox(application().run(args));
    }

    /** The port it listens on. */
    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** {@code http://127.0.0.1:<port>}: the Graph API base URL to give a client. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** A client of the control API. */
    public SandboxControl control() {
        return new SandboxControl(baseUrl());
    }

    @Override
    public void close() {
        context.close();
    }
}
