package io.janela.local.demo;

import io.janela.local.outbound.OutboundPublisher;
import java.time.Duration;

/**
 * Where the stack the demo plays against is.
 *
 * @param phoneNumberId the business phone number the sandbox knows
 * @param wabaId its business account
 * @param windowLength the customer service window the services were started with
 * @param outbound publishes outbound requests (and conversation resolutions) as a company system would
 * @param surveyUrl the survey-service
 */
public record DemoTarget(
        String phoneNumberId,
        String wabaId,
        String sandboxUrl,
        String ingressUrl,
        String windowUrl,
        String dispatchUrl,
        String metricsUrl,
        String bootstrapServers,
        String registryUrl,
        Duration windowLength,
        OutboundPublisher outbound,
        String surveyUrl) {}
