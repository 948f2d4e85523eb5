package io.janela.ingress.parse;

/**
 * An item of a webhook that could not become a record.
 *
 * @param path where it is, e.g. {@code entry[0].changes[1].value.messages[3]}
 * @param problem what is wrong, naming fields but never quoting values (it reaches logs and dead-letter headers)
 */
public record ItemProblem(String path, String problem) {

    @Override
    public String toString() {
        return path + ": " + problem;
    }
}
