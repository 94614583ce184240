package io.camelpowerbi.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Derives the Fabric contract ({@value #CONTRACT}) from Microsoft's Fabric REST OpenAPI (Swagger 2.0,
 * github.com/microsoft/fabric-rest-api-specs, MIT): the operations the component calls and the sandbox answers
 * ({@link #OPERATIONS}), as published, in one self-contained document: the base path {@code /v1} folded into the paths,
 * every definition they reference (across {@code lakehouse/}, {@code platform/} and {@code common/}) copied into
 * {@code definitions}, prose and examples removed as {@link ContractDerivation} removes them. Running it again on the
 * same checkout gives the same bytes.
 *
 * <pre>{@code
 * git clone https://github.com/microsoft/fabric-rest-api-specs /tmp/fabric && git -C /tmp/fabric checkout COMMIT
 * mvn -B -q -Pfabric-contract process-test-classes -Dcontract.fabric=/tmp/fabric
 * }</pre>
 */
public final class FabricContractDerivation {

    public static final String CONTRACT = "src/tests/src/test/resources/contract/fabric-contract.json";

    /** The swagger files, relative to the specs' root, and the operations taken from each, in this order. */
    static final Map<String, List<String>> OPERATIONS = new LinkedHashMap<>();

    static {
        OPERATIONS.put(
                "platform/swagger.json",
                List.of(
                        "Workspaces_ListWorkspaces",
                        "LongRunningOperations_GetOperationState",
                        "LongRunningOperations_GetOperationResult"));
        OPERATIONS.put(
                "lakehouse/swagger.json",
                List.of("Items_ListLakehouses", "Items_GetLakehouse", "Tables_ListTables", "Tables_LoadTable"));
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private FabricContractDerivation() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: FabricContractDerivation SPECS_DIR [CONTRACT_JSON (default " + CONTRACT + ")]");
            System.exit(2);
        }
        Path contract = Path.of(args.length == 2 ? args[1] : CONTRACT);
        String derived = derive(Path.of(args[0]));
        Files.createDirectories(contract.toAbsolutePath().getParent());
        Files.writeString(contract, derived, StandardCharsets.UTF_8);
        System.out.printf("%s: %,d bytes from %s%n", contract, derived.length(), args[0]);
    }

    public static String derive(Path specs) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        out.put("swagger", "2.0");
        ObjectNode info = out.putObject("info");
        info.put("title", "Microsoft Fabric REST API (the operations camel-powerbi uses)");
        info.put("version", "v1");
        ObjectNode from = info.putObject("x-derived-from");
        from.put("repository", "https://github.com/microsoft/fabric-rest-api-specs");
        ObjectNode files = from.putObject("files");
        from.put(
                "license",
                "MIT, Copyright (c) Microsoft Corporation (LICENSE-fabric-rest-api-specs.txt beside this file)");
        from.put(
                "removed",
                "description (but a response's, which Swagger 2.0 requires), summary, example, x-ms-examples;"
                        + " every operation but those listed; basePath /v1 folded into the paths");
        out.put("host", "api.fabric.microsoft.com");
        out.putArray("schemes").add("https");
        ObjectNode paths = out.putObject("paths");
        Map<String, JsonNode> definitions = new TreeMap<>();
        for (Map.Entry<String, List<String>> file : OPERATIONS.entrySet()) {
            Path swagger = specs.resolve(file.getKey());
            byte[] bytes = Files.readAllBytes(swagger);
            files.put(file.getKey(), "sha256 " + ContractDerivation.sha256(bytes));
            JsonNode root = JSON.readTree(bytes);
            String base = root.path("basePath").asText("");
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("paths").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    if (file.getValue()
                            .contains(op.getValue().path("operationId").asText())) {
                        JsonNode copied = inline(op.getValue().deepCopy(), swagger, definitions);
                        String key = base + path.getKey();
                        ObjectNode methods = paths.has(key) ? (ObjectNode) paths.get(key) : paths.putObject(key);
                        methods.set(op.getKey(), copied);
                    }
                }
            }
        }
        ObjectNode defs = out.putObject("definitions");
        definitions.forEach(defs::set);
        return ContractDerivation.write(ContractDerivation.strip(out, null, false));
    }

    /**
     * Rewrites every {@code $ref} to another file's (or this file's) definition as {@code #/definitions/Name}, copying
     * the definition (and what it references) into {@code definitions}.
     */
    private static JsonNode inline(JsonNode node, Path file, Map<String, JsonNode> definitions) throws IOException {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().contains("#/definitions/")) {
                String text = ref.asText();
                int hash = text.indexOf('#');
                Path target = hash == 0
                        ? file
                        : file.getParent().resolve(text.substring(0, hash)).normalize();
                String name = text.substring(text.lastIndexOf('/') + 1);
                if (!definitions.containsKey(name)) {
                    definitions.put(name, JSON.nullNode()); // reserved: a definition may reference itself
                    JsonNode definition =
                            JSON.readTree(target.toFile()).path("definitions").path(name);
                    if (definition.isMissingNode()) {
                        throw new IllegalArgumentException(text + " of " + file + " names no definition");
                    }
                    definitions.put(name, inline(definition.deepCopy(), target, definitions));
                    if (definition.has("discriminator")) {
                        // its subtypes (allOf it, with x-ms-discriminator-value) are what requests and answers carry
                        JsonNode all = JSON.readTree(target.toFile()).path("definitions");
                        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
                            Map.Entry<String, JsonNode> sub = it.next();
                            if (sub.getValue().has("x-ms-discriminator-value")
                                    && sub.getValue()
                                            .path("allOf")
                                            .toString()
                                            .contains("#/definitions/" + name + "\"")) {
                                inline(
                                        JSON.createObjectNode().put("$ref", "#/definitions/" + sub.getKey()),
                                        target,
                                        definitions);
                            }
                        }
                    }
                }
                object.put("$ref", "#/definitions/" + name);
                return object;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                field.setValue(inline(field.getValue(), file, definitions));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, inline(node.get(i), file, definitions));
            }
        }
        return node;
    }
}
