package io.janela.ingress.parse;

import io.janela.avro.MessageCategory;
import io.janela.avro.MetaError;
import io.janela.avro.Pricing;
import io.janela.avro.PricingType;
import io.janela.contract.ContactKey;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Objects several webhook items carry: {@code errors[]} and {@code pricing}, and the contact key. */
final class SharedObjects {

    /** MetaError.code is required; an error without a readable code (never seen from Meta) gets this one. */
    static final int UNKNOWN_ERROR_CODE = -1;

    private SharedObjects() {}

    /** {@code errors[]}: code, title, message and {@code error_data.details}; an empty list when absent. */
    static List<MetaError> errors(JsonNode item, ParseNotes notes) {
        List<JsonNode> nodes = JsonFields.array(item, "errors");
        if (nodes == null || nodes.isEmpty()) {
            return List.of();
        }
        List<MetaError> errors = new ArrayList<>(nodes.size());
        for (JsonNode node : nodes) {
            if (!node.isObject()) {
                continue;
            }
            errors.add(MetaError.newBuilder()
                    .setCode(errorCode(node, notes))
                    .setTitle(JsonFields.text(node, "title"))
                    .setMessage(JsonFields.text(node, "message"))
                    .setDetails(JsonFields.text(JsonFields.object(node, "error_data"), "details"))
                    .build());
        }
        return errors;
    }

    /** {@code errors[].code}: an integer in webhooks, a string in some providers' copies of them. */
    static int errorCode(JsonNode error, ParseNotes notes) {
        String code = JsonFields.id(error, "code");
        if (code != null) {
            try {
                return Integer.parseInt(code);
            } catch (NumberFormatException notAnInteger) {
                // fall through
            }
        }
        notes.unrecognised("error_code");
        return UNKNOWN_ERROR_CODE;
    }

    /** The {@code pricing} object of a status, or null when absent. */
    static Pricing pricing(JsonNode status, ParseNotes notes) {
        JsonNode pricing = JsonFields.object(status, "pricing");
        if (pricing == null) {
            return null;
        }
        return Pricing.newBuilder()
                .setBillable(JsonFields.bool(pricing, "billable"))
                .setPricingModel(JsonFields.text(pricing, "pricing_model"))
                .setType(MetaSymbols.symbol(
                        PricingType.class,
                        JsonFields.text(pricing, "type"),
                        PricingType.UNKNOWN,
                        "pricing_type",
                        notes))
                .setCategory(MetaSymbols.symbol(
                        MessageCategory.class,
                        JsonFields.text(pricing, "category"),
                        MessageCategory.UNKNOWN,
                        "pricing_category",
                        notes))
                .build();
    }

    /** {@code {phoneNumberId}:{contactId}}; an {@link InvalidItemException} when either part cannot be in a key. */
    static String contactKey(String phoneNumberId, String contactId) {
        try {
            return new ContactKey(phoneNumberId, contactId).format();
        } catch (IllegalArgumentException e) {
            throw new InvalidItemException("the phone number id or contact id cannot form a contact key");
        }
    }
}
