package io.camelpowerbi.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The OneLake contract in the repository is what {@link OneLakeContractDerivation} makes of the ADLS Gen2 DFS swagger,
 * untouched by hand: deriving it again from itself gives the same bytes, it holds the operations the component uses
 * and no others, every reference resolves inside it, and no prose is left.
 */
class OneLakeContractDerivationTest {

    static final Path CONTRACT = Path.of(OneLakeContractDerivation.CONTRACT);
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theContractIsTheDerivationsFixedPoint() throws IOException {
        String contract = Files.readString(CONTRACT);
        assertEquals(
                contract,
                OneLakeContractDerivation.derive(contract.getBytes(StandardCharsets.UTF_8)),
                "the contract was edited by hand: derive it again (README.md beside it says how)");
    }

    @Test
    void itHoldsTheOperationsTheComponentUsesSelfContainedAndWithoutProse() throws IOException {
        JsonNode contract = JSON.readTree(CONTRACT.toFile());
        List<String> operations = new ArrayList<>();
        contract.path("x-ms-paths")
                .forEach(path -> path.properties().forEach(op -> {
                    if (!op.getKey().equals("parameters")) {
                        operations.add(op.getValue().path("operationId").asText());
                    }
                }));
        assertEquals(
                OneLakeContractDerivation.OPERATIONS.stream().sorted().toList(),
                operations.stream().sorted().toList());
        assertEquals(
                "Path_AppendData",
                contract.at("/x-ms-paths/~1{filesystem}~1{path}?action=append/patch/operationId")
                        .asText());
        assertEquals(
                "2021-06-08",
                contract.at("/parameters/ApiVersionParameter/enum/0").asText(),
                "the storage version the client sends");
        String text = contract.toString();
        Matcher refs = Pattern.compile("\"\\$ref\":\"#(/[^\"]+)\"").matcher(text);
        int resolved = 0;
        while (refs.find()) {
            assertFalse(contract.at(refs.group(1)).isMissingNode(), refs.group(1) + " is in the contract");
            resolved++;
        }
        assertTrue(resolved > 0, "the operations reference the file's parameters and definitions");
        assertFalse(text.contains("\"description\":\"The value must be"), "parameter prose is removed");
        assertTrue(
                contract.at("/x-ms-paths/~1{filesystem}~1{path}/put/responses/201")
                        .has("description"),
                "Swagger 2.0 requires a response's description");
    }
}
