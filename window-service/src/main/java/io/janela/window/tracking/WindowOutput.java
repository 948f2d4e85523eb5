package io.janela.window.tracking;

import io.janela.avro.ContactAlias;
import io.janela.avro.ContactWindow;
import io.janela.avro.WindowEvent;

/** What the window processor emits, routed by type to the three output topics. */
sealed interface WindowOutput {

    record Event(WindowEvent event) implements WindowOutput {}

    record State(ContactWindow window) implements WindowOutput {}

    record Alias(ContactAlias alias) implements WindowOutput {}
}
