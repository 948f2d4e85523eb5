package io.janela.ingress.benchmark;

import io.janela.ingress.TestWebhooks;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Webhook bodies shaped like Meta's (compact JSON, one entry and change, {@code size} text messages from as many
 * contacts, each with a business-scoped user id and a phone number), signed with the test app secret. Timestamps are
 * now, so that Kafka's retention and the future-timestamp guard treat them as live traffic.
 */
final class SignedWebhooks {

    /** One request: the body and its {@code X-Hub-Signature-256}. */
    record Webhook(byte[] body, String signature) {}

    private SignedWebhooks() {}

    static List<Webhook> generate(int count, int messagesPerWebhook, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        List<Webhook> webhooks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] body = body(i, messagesPerWebhook, timestamp, random).getBytes(StandardCharsets.UTF_8);
            webhooks.add(new Webhook(body, TestWebhooks.signature(body)));
        }
        return webhooks;
    }

    private static String body(int index, int messages, String timestamp, SplittableRandom random) {
        StringBuilder contacts = new StringBuilder();
        StringBuilder items = new StringBuilder();
        for (int m = 0; m < messages; m++) {
            long phone = 16_505_550_000L + random.nextInt(1_000_000);
            String userId = "US." + (1_000_000_000_000_000_000L + random.nextLong(8_000_000_000_000_000_000L));
            String separator = m == 0 ? "" : ",";
            contacts.append(separator)
                    .append("{\"profile\":{\"name\":\"Customer ")
                    .append(phone % 10_000)
                    .append("\"},\"wa_id\":\"")
                    .append(phone)
                    .append("\",\"user_id\":\"")
                    .append(userId)
                    .append("\"}");
            items.append(separator)
                    .append("{\"from\":\"")
                    .append(phone)
                    .append("\",\"from_user_id\":\"")
                    .append(userId)
                    .append("\",\"id\":\"wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQz")
                    .append(index)
                    .append('x')
                    .append(m)
                    .append("\",\"timestamp\":\"")
                    .append(timestamp)
                    .append("\",\"type\":\"text\",\"text\":{\"body\":\"Hi, is order ")
                    .append(random.nextInt(1_000_000))
                    .append(" on its way? It should have arrived yesterday.\"}}");
        }
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"value\":"
                + "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550783881\","
                + "\"phone_number_id\":\"106540352242922\"},\"contacts\":[" + contacts + "],\"messages\":[" + items
                + "]},\"field\":\"messages\"}]}]}";
    }
}
