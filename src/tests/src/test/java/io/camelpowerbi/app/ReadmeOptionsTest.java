package io.camelpowerbi.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * README.md's "Options reference" is generated from the catalog JSON that camel-package-maven-plugin writes, and kept
 * equal to it: this test fails when they differ, and with {@code -Dreadme.update=true} rewrites the section instead.
 */
class ReadmeOptionsTest {

    static final Path README = Path.of("README.md");
    static final Path CATALOG =
            Path.of("src/library/src/generated/resources/META-INF/io/camelpowerbi/component/powerbi.json");
    static final String BEGIN = "<!-- options:begin -->";
    static final String END = "<!-- options:end -->";
    static final String REGENERATE = "mvn -q -o test -Dtest=ReadmeOptionsTest -Dreadme.update=true";

    @Test
    void readmeOptionsReferenceMatchesTheCatalog() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        String expected = render(new ObjectMapper().readTree(CATALOG.toFile()));
        String updated = replaceSection(readme, expected);
        if (Boolean.getBoolean("readme.update")) {
            if (!updated.equals(readme)) {
                Files.writeString(README, updated, StandardCharsets.UTF_8);
                System.out.println("README.md: options reference regenerated from " + CATALOG);
            }
            return;
        }
        if (!updated.equals(readme)) {
            fail("README.md's options reference (between " + BEGIN + " and " + END + ") differs from the catalog "
                    + CATALOG + ": " + firstDifference(section(readme), expected) + ". Regenerate it with: "
                    + REGENERATE);
        }
    }

    @Test
    void everyOptionAndHeaderIsListed() throws IOException {
        JsonNode catalog = new ObjectMapper().readTree(CATALOG.toFile());
        String section = render(catalog);
        for (String group : List.of("properties", "headers")) {
            catalog.path(group)
                    .fieldNames()
                    .forEachRemaining(name -> assertTrue(section.contains("| `" + name + "` |"), name + " is missing"));
        }
        assertEquals("a \\| b <br> c", cell("a | b\nc"));
    }

    /** The Markdown between the markers: endpoint options, component-only options, headers. */
    static String render(JsonNode catalog) {
        StringBuilder md = new StringBuilder();
        JsonNode endpoint = catalog.path("properties");
        md.append("\n### Endpoint options\n\n");
        md.append(
                "Per endpoint (`powerbi:OPERATION?name=value`, or YAML `parameters:`). Most are also component options"
                        + " (`camel.component.powerbi.<name>`), the default of every endpoint; the scheduler's and the consumer"
                        + " framework's are per endpoint only. A `duration` takes `30s`, `1m30s`, `2h`, `PT30S` or milliseconds;"
                        + " an `enum` one of its values.\n\n");
        md.append("| name | label | type | default | description |\n|---|---|---|---|---|\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = endpoint.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            md.append(optionRow(e.getKey(), e.getValue()));
        }
        List<Map.Entry<String, JsonNode>> componentOnly = new ArrayList<>();
        catalog.path("componentProperties").fields().forEachRemaining(e -> {
            if (!endpoint.has(e.getKey())) {
                componentOnly.add(e);
            }
        });
        md.append("\n### Component-only options\n\n");
        md.append("| name | label | type | default | description |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, JsonNode> e : componentOnly) {
            md.append(optionRow(e.getKey(), e.getValue()));
        }
        md.append("\n### Message headers\n\n");
        md.append("| name | label | type | description |\n|---|---|---|---|\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = catalog.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode h = e.getValue();
            md.append("| `")
                    .append(e.getKey())
                    .append("` | ")
                    .append(cell(h.path("label").asText()))
                    .append(" | `")
                    .append(cell(shortType(h.path("javaType").asText())))
                    .append("` | ")
                    .append(cell(h.path("description").asText() + values(h)))
                    .append(" |\n");
        }
        md.append('\n');
        return md.toString();
    }

    private static String optionRow(String name, JsonNode o) {
        String label = o.path("label").asText();
        if ("path".equals(o.path("kind").asText())) {
            label = label.isEmpty() ? "path" : "path, " + label;
        }
        String description = o.path("description").asText();
        if (o.path("required").asBoolean()) {
            description = "Required. " + description;
        }
        if (o.path("secret").asBoolean()) {
            description += " (secret: masked in logs)";
        }
        return "| `" + name + "` | " + cell(label.replace(",", ", ")) + " | "
                + cell(o.path("type").asText()) + " | "
                + (o.has("defaultValue") ? "`" + cell(o.path("defaultValue").asText()) + "`" : "") + " | "
                + cell(description + values(o)) + " |\n";
    }

    private static String values(JsonNode node) {
        if (!node.has("enum")) {
            return "";
        }
        List<String> values = new ArrayList<>();
        node.path("enum").forEach(v -> values.add("`" + v.asText() + "`"));
        String description = node.path("description").asText().trim();
        return (description.isEmpty() || description.endsWith(".") ? " " : ". ") + "Values: "
                + String.join(", ", values) + ".";
    }

    private static String shortType(String javaType) {
        return javaType.replaceAll("\\b(java\\.lang|java\\.util|java\\.time|io\\.camelpowerbi\\.[a-z]+)\\.", "");
    }

    /** A table cell: no pipe or line break may end it early. */
    static String cell(String text) {
        return text.replace("|", "\\|")
                .replace("\r", "")
                .replace("\n", " <br> ")
                .trim();
    }

    static String section(String readme) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            fail("README.md has no " + BEGIN + " ... " + END + " section (under \"Options reference\")");
        }
        return readme.substring(begin + BEGIN.length(), end);
    }

    static String replaceSection(String readme, String section) {
        section(readme); // the markers exist
        return readme.substring(0, readme.indexOf(BEGIN) + BEGIN.length())
                + section
                + readme.substring(readme.indexOf(END));
    }

    private static String firstDifference(String actual, String expected) {
        String[] a = actual.split("\n", -1);
        String[] e = expected.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, e.length); i++) {
            String al = i < a.length ? a[i] : "<end>";
            String el = i < e.length ? e[i] : "<end>";
            if (!al.equals(el)) {
                return "README has \"" + al + "\" where the catalog gives \"" + el + "\"";
            }
        }
        return "they differ";
    }
}
