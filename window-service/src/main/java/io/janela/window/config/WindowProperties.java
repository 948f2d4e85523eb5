package io.janela.window.config;

import io.janela.contract.spring.DeadlineRebuildProperties;
import io.janela.window.rules.WindowPolicy;
import io.janela.window.tracking.TrackingSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The window-service's settings, {@code janela.window.*} (README "Configuration"). Kafka and Kafka Streams client
 * settings are Spring Boot's {@code spring.kafka.*}.
 *
 * @param windowLength how long a customer message keeps the customer service window open (Meta: 24 h; shorter only
 *     for tests and demonstrations)
 * @param closingSoonLeadTimes how long before expiry CLOSING_SOON events fire, one per lead time
 * @param fepEligibility how long after a click-to-WhatsApp message a reply opens a free entry point window
 * @param fepLength the predicted free entry point window, from the reply
 * @param recentMessagesPerContact recent message ids kept per contact (and kind) to recognise duplicates
 * @param aliasRefresh how much later the same phone number must be seen to be published as an alias again
 * @param punctuationInterval how often due windows are looked for
 * @param maxDeadlinesPerPunctuation the most deadlines one punctuation acts on before letting records through
 * @param maxClockSkew how far ahead of this clock a Meta timestamp may be before the record is refused
 * @param deadlineRebuild how fast a starting task puts the contacts' deadlines back into its index, between its records
 *     ({@code deadline-rebuild.slice-interval}, {@code .states-per-slice}, {@code .time-per-slice})
 */
@ConfigurationProperties("janela.window")
@Validated
public record WindowProperties(
        @DefaultValue("24h") @NotNull Duration windowLength,
        @DefaultValue("1h") @NotNull List<Duration> closingSoonLeadTimes,
        @DefaultValue("24h") @NotNull Duration fepEligibility,
        @DefaultValue("72h") @NotNull Duration fepLength,

        @DefaultValue("32") @Min(1) @Max(1000) int recentMessagesPerContact,
        @DefaultValue("24h") @NotNull Duration aliasRefresh,
        @DefaultValue("1s") @NotNull Duration punctuationInterval,
        @DefaultValue("5000") @Min(1) int maxDeadlinesPerPunctuation,
        @DefaultValue("5m") @NotNull Duration maxClockSkew,
        @DefaultValue @NotNull DeadlineRebuildProperties deadlineRebuild,
        @DefaultValue @Valid Topics topics,
        @DefaultValue @Valid Query query) {

    /**
     * The topics this service declares (created if missing, never shrunk).
     *
     * @param partitions partitions of every topic it creates; the three inputs must have the same number
     * @param replicationFactor replicas of every topic it creates; unset: the broker's default
     */
    public record Topics(
            @DefaultValue("6") @Min(1) int partitions,
            @Min(1) Short replicationFactor) {}

    /**
     * The window query endpoint across instances.
     *
     * @param advertisedHost the host other instances reach this one at (Kafka Streams' {@code application.server})
     * @param advertisedPort the port they reach it at; this instance's HTTP port
     * @param forwardTimeout how long to wait for the instance that owns a contact
     */
    public record Query(
            @DefaultValue("localhost") @NotBlank String advertisedHost,
            @NotNull @Min(1) @Max(65535) Integer advertisedPort,
            @DefaultValue("5s") @NotNull Duration forwardTimeout) {}

    /** The rules' settings; invalid combinations (a lead time longer than the window...) fail here, at start. */
    public WindowPolicy policy() {
        return new WindowPolicy(
                windowLength, closingSoonLeadTimes, fepEligibility, fepLength, recentMessagesPerContact, aliasRefresh);
    }

    public TrackingSettings tracking() {
        return new TrackingSettings(
                policy(), punctuationInterval, maxDeadlinesPerPunctuation, maxClockSkew, deadlineRebuild.pace());
    }

    /** Kafka Streams' {@code application.server}. */
    public String applicationServer() {
        return query.advertisedHost() + ":" + query.advertisedPort();
    }
}
