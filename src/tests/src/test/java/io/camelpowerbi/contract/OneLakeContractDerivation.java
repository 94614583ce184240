package io.camelpowerbi.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Derives the OneLake contract ({@value #CONTRACT}) from Microsoft's ADLS Gen2 (DFS) OpenAPI, which OneLake speaks
 * (Azure/azure-rest-api-specs, {@value #SOURCE_PATH}, MIT): the operations the component sends to OneLake and the
 * sandbox answers ({@link #OPERATIONS}), as published, in one self-contained document. The DFS swagger keeps its
 * operations under AutoRest's {@code x-ms-paths}, where a path may carry a query that tells two operations of the same
 * path and method apart ({@code /{filesystem}/{path}?action=append}); they stay there, and {@link PowerBiContract}
 * reads them. Every parameter and definition they reference is copied in; prose and examples are removed as
 * {@link ContractDerivation} removes them. Running it again on the same file (or on the contract itself) gives the same
 * bytes.
 *
 * <pre>{@code
 * curl -sLo /tmp/DataLakeStorage.json https://raw.githubusercontent.com/Azure/azure-rest-api-specs/COMMIT/PATH
 * mvn -B -q -Ponelake-contract process-test-classes -Dcontract.onelake=/tmp/DataLakeStorage.json
 * }</pre>
 */
public final class OneLakeContractDerivation {

    public static final String CONTRACT = "src/tests/src/test/resources/contract/onelake-contract.json";
    /** The file in Azure/azure-rest-api-specs: the storage REST version the client sends ({@code x-ms-version}). */
    public static final String SOURCE_PATH =
            "specification/storage/data-plane/Azure.Storage.Files.DataLake/preview/2021-06-08/DataLakeStorage.json";

    public static final String SOURCE_COMMIT = "04dded75b4240dd36fb2394ab583200bc48b6011";

    /**
     * What the component and the doctor send to OneLake: create a file (or a directory), append, flush, delete, read a
     * path's properties, and the workspace's ({@code HEAD ?resource=filesystem}); {@code Path_Read} because the
     * sandbox serves it.
     */
    static final List<String> OPERATIONS = List.of(
            "FileSystem_GetProperties",
            "Path_Create",
            "Path_Read",
            "Path_GetProperties",
            "Path_Delete",
            "Path_FlushData",
            "Path_AppendData");

    private static final ObjectMapper JSON = new ObjectMapper();

    private OneLakeContractDerivation() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println(
                    "usage: OneLakeContractDerivation DATALAKESTORAGE_JSON [CONTRACT_JSON (default " + CONTRACT + ")]");
            System.exit(2);
        }
        Path contract = Path.of(args.length == 2 ? args[1] : CONTRACT);
        String derived = derive(Files.readAllBytes(Path.of(args[0])));
        Files.createDirectories(contract.toAbsolutePath().getParent());
        Files.writeString(contract, derived, StandardCharsets.UTF_8);
        System.out.printf("%s: %,d bytes from %s%n", contract, derived.length(), args[0]);
    }

    /** The contract text for this swagger: deterministic, LF line endings, a final newline. */
    public static String derive(byte[] swagger) throws IOException {
        JsonNode root = JSON.readTree(swagger);
        if (!(root instanceof ObjectNode) || !"2.0".equals(root.path("swagger").asText())) {
            throw new IllegalArgumentException("not a Swagger 2.0 document");
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("swagger", "2.0");
        ObjectNode info = out.putObject("info");
        info.put("title", "Azure Data Lake Storage REST API (the operations camel-powerbi sends to OneLake)");
        info.put("version", root.path("info").path("version").asText());
        ObjectNode from = info.putObject("x-derived-from");
        from.put("repository", "https://github.com/Azure/azure-rest-api-specs");
        from.put("path", SOURCE_PATH);
        from.put("commit", SOURCE_COMMIT);
        from.put(
                "license",
                "MIT, Copyright (c) Microsoft Corporation (LICENSE-azure-rest-api-specs.txt beside this file)");
        from.put(
                "removed",
                "description (but a response's, which Swagger 2.0 requires), summary, example, x-ms-examples;"
                        + " every operation but those listed; x-ms-parameterized-host (the account URL)");
        out.put("host", "onelake.dfs.fabric.microsoft.com");
        for (String field : List.of("schemes", "consumes", "produces")) {
            if (root.has(field)) {
                out.set(field, root.get(field).deepCopy());
            }
        }
        out.putObject("paths");
        ObjectNode paths = out.putObject("x-ms-paths");
        int found = 0;
        for (String source : List.of("paths", "x-ms-paths")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path(source).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                ObjectNode kept = JSON.createObjectNode();
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    if (OPERATIONS.contains(op.getValue().path("operationId").asText())) {
                        kept.set(op.getKey(), op.getValue().deepCopy());
                        found++;
                    }
                }
                if (!kept.isEmpty()) {
                    if (path.getValue().has("parameters")) {
                        kept.set("parameters", path.getValue().get("parameters").deepCopy());
                    }
                    paths.set(path.getKey(), kept);
                }
            }
        }
        if (found != OPERATIONS.size()) {
            throw new IllegalArgumentException("expected the operations " + OPERATIONS + ", found " + found);
        }
        Map<String, JsonNode> parameters = new TreeMap<>();
        Map<String, JsonNode> definitions = new TreeMap<>();
        Deque<JsonNode> todo = new ArrayDeque<>(List.of(paths));
        while (!todo.isEmpty()) {
            JsonNode node = todo.pop();
            if (node.isObject() && node.path("$ref").isTextual()) {
                String ref = node.get("$ref").asText();
                String name = ref.substring(ref.lastIndexOf('/') + 1);
                Map<String, JsonNode> into = ref.startsWith("#/parameters/")
                        ? parameters
                        : ref.startsWith("#/definitions/") ? definitions : null;
                if (into == null) {
                    throw new IllegalArgumentException("a reference outside the file: " + ref);
                }
                if (!into.containsKey(name)) {
                    JsonNode target = root.path(ref.startsWith("#/parameters/") ? "parameters" : "definitions")
                            .path(name);
                    if (target.isMissingNode()) {
                        throw new IllegalArgumentException(ref + " names nothing");
                    }
                    into.put(name, target.deepCopy());
                    todo.push(target);
                }
            }
            node.forEach(todo::push);
        }
        ObjectNode params = out.putObject("parameters");
        parameters.forEach(params::set);
        ObjectNode defs = out.putObject("definitions");
        definitions.forEach(defs::set);
        return ContractDerivation.write(ContractDerivation.strip(out, null, false));
    }
}
