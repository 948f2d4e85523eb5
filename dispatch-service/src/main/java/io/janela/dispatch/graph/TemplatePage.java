package io.janela.dispatch.graph;

import java.util.List;

/**
 * One page of a template listing.
 *
 * @param after the cursor of the next page, or null on the last page
 */
public record TemplatePage(List<ListedTemplate> templates, String after) {}
