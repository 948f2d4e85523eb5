package io.janela.ingress.parse;

import io.janela.avro.InboundMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a whole webhook body: every {@code entry[]}, every {@code changes[]}, every {@code messages[]}, {@code
 * statuses[]} and {@code user_preferences[]} item, the {@code calls[]} and call {@code statuses[]} of a {@code calls}
 * change, the {@code message_echoes[]} of an {@code smb_message_echoes} change, the four account-level fields
 * ({@code account_update}, {@code business_capability_update}, {@code phone_number_quality_update}, {@code
 * user_id_update}) and the three template fields. A {@code messages[]} system message that names the user's previous
 * business-scoped user id gives an account event (USER_ID_CHANGE) besides the inbound message. A pure function of the
 * bytes: the same body always gives the same records, and nothing here reads a clock.
 *
 * <p>Outcomes: a body that is not a WhatsApp webhook envelope gives an {@link EnvelopeFailure}; an item that cannot
 * become a record gives an {@link ItemProblem} and the other items are still read; unknown fields and values are
 * never a problem. Changes of fields this service has no topic for ({@code account_alerts}, {@code
 * security}...) and the account-level {@code value.errors[]} are noted, not published. Thread-safe.
 */
public final class WebhookParser {

    static final String WHATSAPP_OBJECT = "whatsapp_business_account";
    static final String MESSAGES_FIELD = "messages";

    private final JsonMapper mapper;
    private final InboundMessageMapper messages;
    private final MessageStatusMapper statuses;
    private final TemplateEventMapper templateEvents;
    private final UserPreferenceMapper userPreferences;
    private final CallEventMapper calls;
    private final MessageEchoMapper echoes;
    private final AccountEventMapper accountEvents;

    public WebhookParser() {
        this.mapper = JsonMapper.builder()
                // A body with something after the envelope is not what Meta signed as one JSON document.
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // Parse errors must not quote the body: their messages reach logs and dead-letter headers.
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        RawJson rawJson = new RawJson(mapper);
        this.messages = new InboundMessageMapper(rawJson);
        this.statuses = new MessageStatusMapper(rawJson);
        this.templateEvents = new TemplateEventMapper(rawJson);
        this.userPreferences = new UserPreferenceMapper(rawJson);
        this.calls = new CallEventMapper(rawJson);
        this.echoes = new MessageEchoMapper(rawJson);
        this.accountEvents = new AccountEventMapper(rawJson);
    }

    public ParsedWebhook parse(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JacksonException e) {
            return ParsedWebhook.failed(new EnvelopeFailure(
                    DeadLetterReason.MALFORMED_JSON,
                    "not valid JSON" + at(e),
                    e.getClass().getName()));
        }
        if (root == null || root.isMissingNode()) {
            return ParsedWebhook.failed(new EnvelopeFailure(DeadLetterReason.MALFORMED_JSON, "empty body", null));
        }
        if (!root.isObject()) {
            return ParsedWebhook.failed(
                    new EnvelopeFailure(DeadLetterReason.UNEXPECTED_SHAPE, "the body is not a JSON object", null));
        }
        String object = JsonFields.text(root, "object");
        if (object != null && !WHATSAPP_OBJECT.equals(object)) {
            return ParsedWebhook.failed(
                    new EnvelopeFailure(DeadLetterReason.UNSUPPORTED_OBJECT, "object is not " + WHATSAPP_OBJECT, null));
        }
        List<JsonNode> entries = JsonFields.array(root, "entry");
        if (entries == null || !root.has("entry")) {
            return ParsedWebhook.failed(new EnvelopeFailure(DeadLetterReason.UNEXPECTED_SHAPE, "no entry array", null));
        }
        Collector collector = new Collector();
        for (int i = 0; i < entries.size(); i++) {
            entry(entries.get(i), "entry[" + i + "]", collector);
        }
        return new ParsedWebhook(Optional.empty(), collector.records, collector.problems, collector.notes);
    }

    private void entry(JsonNode entry, String path, Collector collector) {
        if (!entry.isObject()) {
            collector.problem(path, "not an object");
            return;
        }
        List<JsonNode> changes = JsonFields.array(entry, "changes");
        if (changes == null || !entry.has("changes")) {
            collector.problem(path, "no changes array");
            return;
        }
        String wabaId = JsonFields.id(entry, "id");
        for (int j = 0; j < changes.size(); j++) {
            change(wabaId, entry, changes.get(j), path + ".changes[" + j + "]", collector);
        }
    }

    private void change(String wabaId, JsonNode entry, JsonNode change, String path, Collector collector) {
        String field = JsonFields.text(change, "field");
        JsonNode value = JsonFields.object(change, "value");
        if (field == null) {
            collector.problem(path, "no field");
            return;
        }
        if (value == null) {
            collector.problem(path, "no value object");
            return;
        }
        ChangeContext context = ChangeContext.of(wabaId, entry, value);
        String valuePath = path + ".value";
        if (MESSAGES_FIELD.equals(field)) {
            for (Item item : objects(value, "messages", valuePath, collector)) {
                String itemPath = item.path();
                collector.mapAll(itemPath, () -> {
                    MappedRecord message = messages.map(item.node(), context, itemPath, collector.notes);
                    // A user id change is also published where every consumer of identity changes reads them.
                    List<MappedRecord> idChange =
                            AccountEventMapper.userIdChange((InboundMessage) message.value(), itemPath);
                    return idChange.isEmpty() ? List.of(message) : List.of(message, idChange.getFirst());
                });
            }
            items(
                    value,
                    "statuses",
                    valuePath,
                    collector,
                    (item, itemPath) -> statuses.map(item, context, itemPath, collector.notes));
            platformErrors(value, collector.notes);
            if (JsonFields.has(value, "user_actions")) {
                // Marketing Messages click events: no customer message and no user identity, so nothing to publish.
                collector.notes.ignored("user_actions");
            }
        } else if (UserPreferenceMapper.FIELD.equals(field)) {
            items(
                    value,
                    "user_preferences",
                    valuePath,
                    collector,
                    (item, itemPath) -> userPreferences.map(item, context, itemPath, collector.notes));
        } else if (CallEventMapper.FIELD.equals(field)) {
            items(
                    value,
                    "calls",
                    valuePath,
                    collector,
                    (item, itemPath) -> calls.mapCall(item, context, itemPath, collector.notes));
            items(
                    value,
                    "statuses",
                    valuePath,
                    collector,
                    (item, itemPath) -> calls.mapStatus(item, context, itemPath, collector.notes));
        } else if (MessageEchoMapper.FIELD.equals(field)) {
            items(
                    value,
                    MessageEchoMapper.ARRAY,
                    valuePath,
                    collector,
                    (item, itemPath) -> echoes.map(item, context, itemPath, collector.notes));
        } else if (AccountEventMapper.handlesWholeChange(field)) {
            collector.mapAll(
                    valuePath, () -> accountEvents.mapChange(field, value, context, valuePath, collector.notes));
        } else if (AccountEventMapper.USER_ID_UPDATE.equals(field)) {
            if (!JsonFields.has(value, AccountEventMapper.USER_ID_UPDATE)
                    && JsonFields.object(value, "user_id") != null) {
                // One change without the array, as some samples show: the value is the item.
                collector.map(valuePath, () -> accountEvents.mapUserIdChange(value, context, valuePath));
            } else {
                items(
                        value,
                        AccountEventMapper.USER_ID_UPDATE,
                        valuePath,
                        collector,
                        (item, itemPath) -> accountEvents.mapUserIdChange(item, context, itemPath));
            }
        } else if (TemplateEventMapper.handles(field)) {
            collector.map(valuePath, () -> templateEvents.map(field, value, context, valuePath, collector.notes));
        } else {
            collector.notes.ignored(field);
        }
    }

    private static void items(
            JsonNode value, String arrayField, String valuePath, Collector collector, ItemMapper mapper) {
        for (Item item : objects(value, arrayField, valuePath, collector)) {
            collector.map(item.path(), () -> mapper.map(item.node(), item.path()));
        }
    }

    /** The object items of an array field, with their paths; anything else is a problem. */
    private static List<Item> objects(JsonNode value, String arrayField, String valuePath, Collector collector) {
        List<JsonNode> items = JsonFields.array(value, arrayField);
        if (items == null) {
            collector.problem(valuePath + "." + arrayField, "not an array");
            return List.of();
        }
        List<Item> objects = new ArrayList<>(items.size());
        for (int k = 0; k < items.size(); k++) {
            JsonNode item = items.get(k);
            String itemPath = valuePath + "." + arrayField + "[" + k + "]";
            if (!item.isObject()) {
                collector.problem(itemPath, "not an object");
                continue;
            }
            objects.add(new Item(item, itemPath));
        }
        return objects;
    }

    private record Item(JsonNode node, String path) {}

    /** {@code value.errors[]} of a messages change: about the account or number (e.g. 130429), not one message. */
    private static void platformErrors(JsonNode value, ParseNotes notes) {
        List<JsonNode> errors = JsonFields.array(value, "errors");
        if (errors == null) {
            return;
        }
        for (JsonNode error : errors) {
            notes.platformError(SharedObjects.errorCode(error, notes));
        }
    }

    /** Where a parse error is, as line and column: never the text around it. */
    private static String at(JacksonException e) {
        TokenStreamLocation location = e.getLocation();
        if (location == null || location == TokenStreamLocation.NA || location.getLineNr() < 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    @FunctionalInterface
    private interface ItemMapper {
        MappedRecord map(JsonNode item, String path);
    }

    private static final class Collector {
        final List<MappedRecord> records = new ArrayList<>();
        final List<ItemProblem> problems = new ArrayList<>();
        final ParseNotes notes = new ParseNotes();

        void problem(String path, String problem) {
            problems.add(new ItemProblem(path, problem));
        }

        void map(String path, Supplier<MappedRecord> mapping) {
            mapAll(path, () -> List.of(mapping.get()));
        }

        void mapAll(String path, Supplier<List<MappedRecord>> mapping) {
            try {
                records.addAll(mapping.get());
            } catch (InvalidItemException e) {
                problem(path, e.getMessage());
            } catch (RuntimeException e) {
                // A mapping bug or an Avro constraint the checks above missed: this item only, named by class, since
                // the exception's message may quote a value.
                problem(path, "could not be mapped (" + e.getClass().getName() + ")");
            }
        }
    }
}
