package io.janela.avro;

import java.util.List;
import org.apache.avro.Schema;

/** The value schema of every topic of DESIGN.md §2: the contract whose evolution the build checks. */
final class TopicSchemas {

    static final List<Schema> ALL = List.of(
            InboundMessage.SCHEMA$,
            MessageStatus.SCHEMA$,
            TemplateEvent.SCHEMA$,
            UserPreference.SCHEMA$,
            ContactWindow.SCHEMA$,
            WindowEvent.SCHEMA$,
            ContactAlias.SCHEMA$,
            OutboundRequest.SCHEMA$,
            Template.SCHEMA$,
            DispatchResult.SCHEMA$);

    private TopicSchemas() {}
}
