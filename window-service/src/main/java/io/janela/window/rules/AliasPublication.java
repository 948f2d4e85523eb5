package io.janela.window.rules;

import java.time.Instant;

/** A phone number to publish as an alias of a contact identified by business-scoped user id. */
public record AliasPublication(String phoneNumberId, String waId, String contactId, Instant seenAt) {}
