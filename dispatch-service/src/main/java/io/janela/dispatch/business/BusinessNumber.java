package io.janela.dispatch.business;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.time.ZoneId;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A business phone number requests may send from.
 *
 * @param phoneNumberId Meta's phone number id
 * @param wabaId the WhatsApp Business Account it belongs to (its templates)
 * @param displayPhoneNumber the number as people see it (digits; a leading + and separators are ignored): Meta names
 *     the number this way in its throughput reports (phone_number_quality_update), so a number whose reports should
 *     set its pace needs it
 * @param accessToken the Graph API token, from the environment (never from a file in the repository)
 * @param accessTokenFile or a file holding it (a mounted secret), read again when it changes
 * @param throughputLimit messages per second Meta allows this number (80 by default, 20 for coexistence numbers),
 *     until Meta reports the number's throughput level (then {@code janela.dispatch.sender.throughput-levels}
 *     applies); all instances together stay under it
 * @param timezone the business account's time zone: Meta's pricing changes take effect at midnight in it
 * @param portfolioId the business portfolio (Meta Business Manager) the number's account belongs to: Meta's messaging
 *     limit is the portfolio's, shared by all its numbers (WHATSAPP.md §6.3). Blank: the business account alone is
 *     taken as the portfolio
 * @param throughputPinned the number keeps {@code throughputLimit} whatever throughput level Meta reports (a
 *     coexistence number, fixed at 20 by Meta; or an operator's own cap)
 */
public record BusinessNumber(
        @NotBlank String phoneNumberId,
        @NotBlank String wabaId,
        String displayPhoneNumber,
        String accessToken,
        Path accessTokenFile,
        @Min(1) @DefaultValue("80") int throughputLimit,
        @DefaultValue("UTC") ZoneId timezone,
        String portfolioId,
        @DefaultValue("false") boolean throughputPinned) {

    @ConstructorBinding
    public BusinessNumber {
        portfolioId = portfolioId == null || portfolioId.isBlank() ? wabaId : portfolioId.strip();
        if ((accessToken == null || accessToken.isBlank()) == (accessTokenFile == null)) {
            throw new IllegalArgumentException("business number " + phoneNumberId
                    + " needs exactly one of access-token (from the environment) and access-token-file");
        }
    }

    /** A number whose pace follows Meta's throughput reports. */
    public BusinessNumber(
            String phoneNumberId,
            String wabaId,
            String displayPhoneNumber,
            String accessToken,
            Path accessTokenFile,
            int throughputLimit,
            ZoneId timezone,
            String portfolioId) {
        this(
                phoneNumberId,
                wabaId,
                displayPhoneNumber,
                accessToken,
                accessTokenFile,
                throughputLimit,
                timezone,
                portfolioId,
                false);
    }

    /** A number whose account is its own portfolio. */
    public BusinessNumber(
            String phoneNumberId,
            String wabaId,
            String displayPhoneNumber,
            String accessToken,
            Path accessTokenFile,
            int throughputLimit,
            ZoneId timezone) {
        this(phoneNumberId, wabaId, displayPhoneNumber, accessToken, accessTokenFile, throughputLimit, timezone, null);
    }

    @Override
    public String toString() {
        return "BusinessNumber[phoneNumberId=" + phoneNumberId + ", wabaId=" + wabaId + ", accessToken="
                + (accessTokenFile != null ? "file " + accessTokenFile : "(from the environment)")
                + ", throughputLimit=" + throughputLimit + ", timezone=" + timezone + ", portfolioId=" + portfolioId
                + ", throughputPinned=" + throughputPinned + "]";
    }
}
