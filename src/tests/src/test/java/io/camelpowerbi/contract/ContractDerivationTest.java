package io.camelpowerbi.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The contract in the repository is what {@link ContractDerivation} makes of Microsoft's swagger, untouched by hand:
 * deriving it again from itself changes nothing but the input's fingerprint, and no prose is left in it. (Deriving it
 * from Microsoft's file at the commit README.md names, and {@code git diff}, shows it is that file's derivation.)
 */
class ContractDerivationTest {

    static final Path CONTRACT = Path.of(ContractDerivation.CONTRACT);
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theContractIsTheDerivationsFixedPoint() throws IOException {
        String contract = Files.readString(CONTRACT);
        String again = ContractDerivation.derive(contract.getBytes(StandardCharsets.UTF_8));
        assertEquals(
                withoutFingerprint(contract),
                withoutFingerprint(again),
                "the contract was edited by hand: derive it again (README.md beside it says how)");
    }

    @Test
    void proseIsGoneButNamesThatLookLikeProseStay() throws IOException {
        JsonNode contract = JSON.readTree(CONTRACT.toFile());
        // a Table has a property called "description": a name, not prose
        assertTrue(contract.at("/definitions/Table/properties").has("description"));
        assertFalse(contract.at("/definitions/Table").has("description"));
        JsonNode refreshes =
                contract.at("/paths/~1v1.0~1myorg~1groups~1{groupId}~1datasets~1{datasetId}~1refreshes/post");
        assertEquals(
                "Datasets_RefreshDatasetInGroup", refreshes.path("operationId").asText());
        assertFalse(refreshes.has("summary") || refreshes.has("description") || refreshes.has("x-ms-examples"));
        // Swagger 2.0 requires a response's description
        assertTrue(refreshes.at("/responses/202").has("description"));
        assertEquals(
                286,
                contract.path("paths").properties().stream()
                        .mapToLong(p -> p.getValue().properties().stream()
                                .filter(m -> !m.getKey().equals("parameters"))
                                .count())
                        .sum(),
                "Microsoft's 286 operations");
    }

    private static String withoutFingerprint(String contract) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(contract);
        ObjectNode from = (ObjectNode) root.at("/info/x-derived-from");
        from.remove("bytes");
        from.remove("sha256");
        return ContractDerivation.write(root);
    }
}
