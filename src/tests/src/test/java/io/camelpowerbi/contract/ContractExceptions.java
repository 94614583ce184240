package io.camelpowerbi.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the contract is known to be wrong or silent ({@code contract/exceptions.yaml}, every entry with a public
 * source), the error shape the swagger leaves out, and the violations known to be fixed by other work
 * ({@code contract/known-violations.yaml}, temporary, every entry naming its finding).
 *
 * <p>An entry excuses a violation when its {@code operation} (an operationId, {@code *}, or a list of them), {@code side}
 * ({@code request} or {@code response}), {@code rule} (a validator message key; a trailing {@code *} matches any
 * ending) and {@code field} (a JSON pointer, parameter name or status, or a list of them; {@code *} alone matches any,
 * inside a pointer one segment) all match.
 */
public final class ContractExceptions {

    /** One excuse. {@code reason} is the public source for an exception, the finding for a known violation. */
    public record Entry(
            List<String> operations,
            String side,
            String rule,
            List<String> fields,
            String reason,
            String why,
            boolean temporary) {

        boolean matches(ContractViolation v) {
            return operations.stream().anyMatch(o -> "*".equals(o) || o.equals(v.operation()))
                    && side.equals(v.side())
                    && (rule.endsWith("*")
                            ? v.rule().startsWith(rule.substring(0, rule.length() - 1))
                            : rule.equals(v.rule()))
                    && fields.stream()
                            .anyMatch(f -> "*".equals(f)
                                    || segments(f).matcher(v.field()).matches());
        }

        /** {@code /value/*}{@code /columns}: each {@code *} stands for one path segment. */
        private static Pattern segments(String pattern) {
            String[] parts = pattern.split("\\*", -1);
            StringBuilder regex = new StringBuilder(Pattern.quote(parts[0]));
            for (int i = 1; i < parts.length; i++) {
                regex.append("[^/]*").append(Pattern.quote(parts[i]));
            }
            return Pattern.compile(regex.toString());
        }

        @Override
        public String toString() {
            return String.join("|", operations) + " " + side + " " + String.join("|", fields) + " [" + rule + "] ("
                    + reason + ")";
        }
    }

    /**
     * Definitions whose properties the service writes in camelCase where the swagger spells them PascalCase
     * ({@code IsRefreshable}); the .NET SDK, generated from the swagger, reads either (Newtonsoft ignores case).
     */
    public record CamelCase(List<String> definitions, String source, String why) {}

    static final String EXCEPTIONS = "/contract/exceptions.yaml";
    static final String KNOWN_VIOLATIONS = "/contract/known-violations.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode errorSchema;
    private final List<String> errorSources;
    private final List<Entry> entries;
    private final List<CamelCase> camelCase;

    private ContractExceptions(
            JsonNode errorSchema, List<String> errorSources, List<Entry> entries, List<CamelCase> camelCase) {
        this.errorSchema = errorSchema;
        this.errorSources = errorSources;
        this.entries = entries;
        this.camelCase = camelCase;
    }

    public static ContractExceptions load() {
        JsonNode exceptions = read(EXCEPTIONS);
        JsonNode known = read(KNOWN_VIOLATIONS);
        List<Entry> entries = new ArrayList<>();
        exceptions.path("exceptions").forEach(e -> entries.add(entry(e, "source", false)));
        known.path("knownViolations").forEach(e -> entries.add(entry(e, "finding", true)));
        JsonNode error = exceptions.path("errorResponse");
        List<String> sources = new ArrayList<>();
        error.path("sources").forEach(s -> sources.add(s.asText()));
        if (!error.has("schema") || sources.isEmpty()) {
            throw new IllegalStateException(EXCEPTIONS + ": errorResponse needs a schema and its sources");
        }
        List<CamelCase> camelCase = new ArrayList<>();
        exceptions.path("camelCase").forEach(c -> {
            List<String> definitions = new ArrayList<>();
            c.path("definitions").forEach(d -> definitions.add(d.asText()));
            if (definitions.isEmpty() || !c.path("source").asText("").startsWith("https://")) {
                throw new IllegalStateException(
                        EXCEPTIONS + ": camelCase entry " + c + " needs definitions and a source");
            }
            camelCase.add(new CamelCase(
                    List.copyOf(definitions),
                    c.get("source").asText(),
                    c.path("why").asText()));
        });
        return new ContractExceptions(
                error.get("schema"), List.copyOf(sources), List.copyOf(entries), List.copyOf(camelCase));
    }

    /** The JSON schema every 4xx and 5xx answer body must meet (the swagger documents success answers only). */
    public JsonNode errorSchema() {
        return errorSchema;
    }

    public List<String> errorSources() {
        return errorSources;
    }

    public List<Entry> entries() {
        return entries;
    }

    public List<CamelCase> camelCase() {
        return camelCase;
    }

    /** The first entry excusing this violation. */
    public Optional<Entry> excuse(ContractViolation violation) {
        return entries.stream().filter(e -> e.matches(violation)).findFirst();
    }

    private static Entry entry(JsonNode e, String reasonKey, boolean temporary) {
        String reason = e.path(reasonKey).asText("");
        String where = (temporary ? KNOWN_VIOLATIONS : EXCEPTIONS) + " entry " + e;
        if (reason.isBlank()) {
            throw new IllegalStateException(where + " has no '" + reasonKey + "'");
        }
        for (String required : List.of("operation", "side", "rule", "field", "why")) {
            if (texts(e.path(required)).stream().allMatch(String::isBlank)) {
                throw new IllegalStateException(where + " has no '" + required + "'");
            }
        }
        return new Entry(
                texts(e.get("operation")),
                e.get("side").asText(),
                e.get("rule").asText(),
                texts(e.get("field")),
                reason,
                e.get("why").asText(),
                temporary);
    }

    /** A string, or a list of strings (any of them). */
    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (node != null && !node.isMissingNode() && !node.isNull()) {
            out.add(node.asText());
        }
        return List.copyOf(out);
    }

    private static JsonNode read(String resource) {
        try (InputStream in = ContractExceptions.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath");
            }
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
