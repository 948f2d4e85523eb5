package io.janela.window.tracking;

import io.janela.avro.ContactAlias;
import io.janela.avro.ContactWindow;
import io.janela.avro.WindowEvent;
import io.janela.window.tracking.avro.StoredContact;

/** What the window processor emits, routed by type to the output topics. */
sealed interface WindowOutput {

    record Event(WindowEvent event) implements WindowOutput {}

    /** A contact's public state; null (a tombstone) for an id that changed and names nobody now. */
    record State(ContactWindow window) implements WindowOutput {}

    /** A contact's state on its way to the contact of its new id. */
    record Handover(StoredContact moved) implements WindowOutput {}

    record Alias(ContactAlias alias) implements WindowOutput {}
}
