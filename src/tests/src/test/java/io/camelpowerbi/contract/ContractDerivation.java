package io.camelpowerbi.contract;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Derives the contract ({@value #CONTRACT}) from Microsoft's Power BI REST swagger: every path, method, parameter,
 * response and schema kept as published, in the published order; descriptions, summaries and examples removed (they
 * are prose, and most of the file's size). The input's SHA-256 is written into {@code info.x-derived-from}, so the
 * contract names the exact file it came from. A response's {@code description} stays: Swagger 2.0 requires it. Running it again on the same input gives the same bytes.
 *
 * <pre>{@code
 * mvn -B -q -Pcontract process-test-classes -Dcontract.swagger=/path/to/swagger.json
 * }</pre>
 *
 * The swagger is {@code sdk/swaggers/swagger.json} of github.com/microsoft/PowerBI-CSharp (MIT); README.md beside the
 * contract names the commit used.
 */
public final class ContractDerivation {

    /** Where the contract lives in the repository (and, under {@code contract/}, on the test classpath). */
    public static final String CONTRACT = "src/tests/src/test/resources/contract/powerbi-contract.json";

    /** Keywords that hold prose or examples only; a schema property that happens to bear one of these names stays. */
    private static final Set<String> PROSE = Set.of("description", "summary", "example", "x-ms-examples");

    /** Objects whose keys are names (paths, definitions, properties, status codes), not keywords. */
    private static final Set<String> NAME_MAPS = Set.of(
            "paths",
            "x-ms-paths",
            "definitions",
            "parameters",
            "responses",
            "properties",
            "headers",
            "securityDefinitions");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ContractDerivation() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ContractDerivation SWAGGER_JSON [CONTRACT_JSON (default " + CONTRACT + ")]");
            System.exit(2);
        }
        Path swagger = Path.of(args[0]);
        Path contract = Path.of(args.length == 2 ? args[1] : CONTRACT);
        byte[] source = Files.readAllBytes(swagger);
        String derived = derive(source);
        Files.createDirectories(contract.toAbsolutePath().getParent());
        Files.writeString(contract, derived, StandardCharsets.UTF_8);
        System.out.printf(
                "%s: %,d bytes from %s (%,d bytes, sha256 %s)%n",
                contract, derived.length(), swagger, source.length, sha256(source));
    }

    /** The contract text for this swagger: deterministic, LF line endings, a final newline. */
    public static String derive(byte[] swagger) throws IOException {
        JsonNode root = JSON.readTree(swagger);
        if (!(root instanceof ObjectNode object)
                || !"2.0".equals(root.path("swagger").asText())) {
            throw new IllegalArgumentException("not a Swagger 2.0 document");
        }
        ObjectNode stripped = (ObjectNode) strip(object, null, false);
        ObjectNode info = (ObjectNode) stripped.get("info");
        ObjectNode from = info.putObject("x-derived-from");
        from.put("repository", "https://github.com/microsoft/PowerBI-CSharp");
        from.put("path", "sdk/swaggers/swagger.json");
        from.put("bytes", swagger.length);
        from.put("sha256", sha256(swagger));
        from.put("license", "MIT, Copyright (c) Microsoft Corporation (LICENSE-powerbi-swagger.txt beside this file)");
        from.put(
                "removed",
                "description (but a response's, which Swagger 2.0 requires), summary, example, x-ms-examples");
        return write(stripped);
    }

    /** The contract as it is written: two-space indent, LF, a final newline (independent of the platform). */
    static String write(JsonNode node) throws IOException {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = JSON.getFactory().createGenerator(out)) {
            generator.setPrettyPrinter(printer);
            JSON.writeTree(generator, node);
        }
        return out + "\n";
    }

    /**
     * @param nameMap  null for an object of keywords; for an object whose keys are names (paths, properties, status
     *                 codes), the keyword it is the value of
     * @param response the node is a Response object, whose {@code description} Swagger 2.0 requires (kept: mostly
     *                 "OK" or "Accepted")
     */
    static JsonNode strip(JsonNode node, String nameMap, boolean response) {
        if (node instanceof ObjectNode object) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String key = field.getKey();
                JsonNode value = field.getValue();
                if (nameMap != null) {
                    out.set(key, strip(value, null, "responses".equals(nameMap)));
                } else if (!PROSE.contains(key) || response && "description".equals(key)) {
                    out.set(key, strip(value, NAME_MAPS.contains(key) && value.isObject() ? key : null, false));
                }
            }
            return out;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            array.forEach(element -> out.add(strip(element, null, false)));
            return out;
        }
        return node;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
