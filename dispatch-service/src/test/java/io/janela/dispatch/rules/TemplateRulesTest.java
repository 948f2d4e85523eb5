package io.janela.dispatch.rules;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.catalogEntry;
import static io.janela.dispatch.Fixtures.namedCatalogEntry;
import static io.janela.dispatch.Fixtures.namedParameter;
import static io.janela.dispatch.Fixtures.templatePayload;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DispatchReason;
import io.janela.avro.MessageCategory;
import io.janela.avro.ParameterFormat;
import io.janela.avro.Template;
import io.janela.avro.TemplateCategory;
import io.janela.avro.TemplateParameter;
import io.janela.avro.TemplateParameterType;
import io.janela.avro.TemplatePayload;
import io.janela.avro.TemplateStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateRulesTest {

    @Test
    void allowsAnApprovedPositionalTemplateWithTheRightCount() {
        assertThat(check(
                        templatePayload("order", "Ana", "42").build(),
                        catalogEntry("order", TemplateCategory.UTILITY, 2).build()))
                .isEqualTo(new TemplateVerdict.Allowed(MessageCategory.UTILITY));
    }

    @Test
    void refusesATemplateTheAccountDoesNotHave() {
        assertThat(reason(check(templatePayload("order").build(), null))).isEqualTo(DispatchReason.TEMPLATE_NOT_FOUND);
    }

    @Test
    void refusesEveryStatusButApproved() {
        for (TemplateStatus status : TemplateStatus.values()) {
            TemplateVerdict verdict = check(
                    templatePayload("order").build(),
                    catalogEntry("order", TemplateCategory.UTILITY, 0)
                            .setStatus(status)
                            .build());
            if (status == TemplateStatus.APPROVED) {
                assertThat(verdict).isInstanceOf(TemplateVerdict.Allowed.class);
            } else {
                assertThat(reason(verdict)).as(status.name()).isEqualTo(DispatchReason.TEMPLATE_NOT_APPROVED);
            }
        }
    }

    @Test
    void refusesAWrongPositionalCountOrNamedParametersOnAPositionalTemplate() {
        Template twoParameters =
                catalogEntry("order", TemplateCategory.UTILITY, 2).build();
        assertThat(reason(check(templatePayload("order", "Ana").build(), twoParameters)))
                .isEqualTo(DispatchReason.TEMPLATE_PARAMETERS_MISMATCH);
        TemplatePayload named = templatePayload("order")
                .setBodyParameters(List.of(namedParameter("a", "1"), namedParameter("b", "2")))
                .build();
        assertThat(reason(check(named, twoParameters))).isEqualTo(DispatchReason.TEMPLATE_PARAMETERS_MISMATCH);
    }

    @Test
    void allowsNamedParametersInAnyOrderAndRefusesAnotherSet() {
        Template named = namedCatalogEntry("promo", TemplateCategory.MARKETING, List.of("first_name", "season"))
                .build();
        TemplatePayload inOtherOrder = templatePayload("promo")
                .setBodyParameters(List.of(namedParameter("season", "summer"), namedParameter("first_name", "Ana")))
                .build();
        TemplatePayload otherSet = templatePayload("promo")
                .setBodyParameters(List.of(namedParameter("name", "Ana"), namedParameter("season", "summer")))
                .build();
        assertThat(check(inOtherOrder, named)).isInstanceOf(TemplateVerdict.Allowed.class);
        assertThat(reason(check(otherSet, named))).isEqualTo(DispatchReason.TEMPLATE_PARAMETERS_MISMATCH);
    }

    @Test
    void checksTheHeaderAgainstTheTemplatesHeaderFormat() {
        Template imageHeader = catalogEntry("order", TemplateCategory.UTILITY, 0)
                .setHeaderFormat("IMAGE")
                .build();
        TemplateParameter image = TemplateParameter.newBuilder()
                .setType(TemplateParameterType.IMAGE)
                .setMediaId("1")
                .build();
        assertThat(check(
                        templatePayload("order")
                                .setHeaderParameters(List.of(image))
                                .build(),
                        imageHeader))
                .isInstanceOf(TemplateVerdict.Allowed.class);
        assertThat(reason(check(templatePayload("order").build(), imageHeader)))
                .isEqualTo(DispatchReason.TEMPLATE_PARAMETERS_MISMATCH);
    }

    @Test
    void leavesParametersToMetaWhenTheFormatIsNotKnownYet() {
        Template fromWebhookOnly = catalogEntry("order", TemplateCategory.UTILITY, 0)
                .setParameterFormat(ParameterFormat.UNKNOWN)
                .build();
        assertThat(check(templatePayload("order", "a", "b", "c").build(), fromWebhookOnly))
                .isInstanceOf(TemplateVerdict.Allowed.class);
    }

    @Test
    void refusesMarketingToAContactWhoOptedOutButNotUtility() {
        TemplatePayload payload = templatePayload("promo").build();
        assertThat(reason(TemplateRules.check(
                        payload,
                        catalogEntry("promo", TemplateCategory.MARKETING, 0).build(),
                        NOW,
                        true,
                        true)))
                .isEqualTo(DispatchReason.MARKETING_OPTED_OUT);
        assertThat(TemplateRules.check(
                        payload,
                        catalogEntry("promo", TemplateCategory.UTILITY, 0).build(),
                        NOW,
                        true,
                        true))
                .isInstanceOf(TemplateVerdict.Allowed.class);
    }

    @Test
    void appliesAnAnnouncedRecategorisationFromItsDate() {
        Template becomingMarketing = catalogEntry("order", TemplateCategory.UTILITY, 0)
                .setPendingCategory(TemplateCategory.MARKETING)
                .setPendingCategoryAt(NOW.plus(Duration.ofHours(1)))
                .build();
        assertThat(TemplateRules.check(templatePayload("order").build(), becomingMarketing, NOW, true, true))
                .isInstanceOf(TemplateVerdict.Allowed.class);
        assertThat(reason(TemplateRules.check(
                        templatePayload("order").build(),
                        becomingMarketing,
                        NOW.plus(Duration.ofHours(2)),
                        true,
                        true)))
                .isEqualTo(DispatchReason.MARKETING_OPTED_OUT);
    }

    @Test
    void sendsAuthenticationCodesOfAtMostFifteenCharactersToPhoneNumbersOnly() {
        Template otp = catalogEntry("otp", TemplateCategory.AUTHENTICATION, 1).build();
        assertThat(TemplateRules.check(templatePayload("otp", "123456789012345").build(), otp, NOW, false, true))
                .isEqualTo(new TemplateVerdict.Allowed(MessageCategory.AUTHENTICATION));
        assertThat(reason(TemplateRules.check(
                        templatePayload("otp", "1234567890123456").build(), otp, NOW, false, true)))
                .isEqualTo(DispatchReason.AUTHENTICATION_CODE_TOO_LONG);
        assertThat(reason(TemplateRules.check(templatePayload("otp", "123456").build(), otp, NOW, false, false)))
                .isEqualTo(DispatchReason.AUTHENTICATION_NEEDS_PHONE_NUMBER);
    }

    private static TemplateVerdict check(TemplatePayload payload, Template template) {
        return TemplateRules.check(payload, template, NOW, false, true);
    }

    private static DispatchReason reason(TemplateVerdict verdict) {
        assertThat(verdict).isInstanceOf(TemplateVerdict.Refused.class);
        return ((TemplateVerdict.Refused) verdict).reason();
    }
}
