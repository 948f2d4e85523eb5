package io.janela.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TemplateKeyTest {

    @Test
    void formatsAndParsesWabaNameAndLanguage() {
        TemplateKey key = new TemplateKey("102290129340398", "order_confirmation", "en_US");

        assertThat(key.format()).isEqualTo("102290129340398:order_confirmation:en_US");
        assertThat(TemplateKey.parse(key.format())).isEqualTo(key);
    }

    @Test
    void refusesKeysWithoutExactlyThreeParts() {
        assertThatThrownBy(() -> TemplateKey.parse("1:name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{wabaId}:{name}:{language}");
        assertThatThrownBy(() -> TemplateKey.parse("1::en"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name");
    }
}
