package io.camelpowerbi.component;

import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.operations.OneLakeFiles;
import io.camelpowerbi.operations.TableLoads;
import java.util.EnumSet;
import java.util.Set;

/**
 * The checks the Lakehouse operations ({@code writeOneLakeFile}, {@code loadTable}, {@code getOperation},
 * {@code loadRows}) make of their options at route start, so a route that cannot work does not start: what is set must
 * be valid (names, paths, the delimiter), loadRows needs the columns it writes, and the credential must give tokens for
 * Fabric and storage as well as Power BI. Options a header may give per message (lakehouse, table, path) are required
 * when the message comes.
 */
final class LakehouseRoute {

    private static final Set<PowerBiOperation> OPERATIONS = EnumSet.of(
            PowerBiOperation.writeOneLakeFile,
            PowerBiOperation.loadTable,
            PowerBiOperation.getOperation,
            PowerBiOperation.loadRows);

    private LakehouseRoute() {}

    static boolean uses(PowerBiOperation operation) {
        return OPERATIONS.contains(operation);
    }

    /** @param anyAudience the credential (or tokenProvider bean) gives tokens for every audience */
    static void check(PowerBiOperation operation, PowerBiConfiguration c, boolean anyAudience) {
        if (!anyAudience) {
            throw powerBiTokensOnly();
        }
        if (c.getCsvDelimiter() == null || c.getCsvDelimiter().length() != 1) {
            throw new InvalidOptionException(
                    "csvDelimiter",
                    "'" + c.getCsvDelimiter() + "' is not one character",
                    "give the CSV file's separator, e.g. , or ; (a tab as %09 in a URI)");
        }
        if ((operation == PowerBiOperation.loadTable || operation == PowerBiOperation.loadRows)
                && c.getTable() != null) {
            TableLoads.checkTable(c.getTable(), "table");
        }
        if (c.getOneLakePath() != null && operation != PowerBiOperation.getOperation) {
            folderOrFile(c.getOneLakePath());
        }
        if (operation == PowerBiOperation.loadRows
                && (c.getDatasetDefinition() == null || c.getDatasetDefinition().isBlank())) {
            throw new InvalidOptionException(
                    "datasetDefinition",
                    "loadRows writes the table's columns, in order and"
                            + " typed, so it needs them (a Lakehouse table's columns cannot be read through Fabric's API)",
                    "set datasetDefinition to the definition file that names the table, the one pushRows used (e.g."
                            + " config/datasets/sales.yaml)");
        }
    }

    /** A path below {@code Files/}: a file, or a folder when it ends with {@code /}. */
    static String folderOrFile(String path) {
        String trimmed = path.trim();
        boolean folder = trimmed.endsWith("/");
        String checked =
                OneLakeFiles.checkPath(folder ? trimmed.substring(0, trimmed.length() - 1) : trimmed, "oneLakePath");
        return folder ? checked + "/" : checked;
    }

    static InvalidOptionException powerBiTokensOnly() {
        return new InvalidOptionException(
                "tokenProvider",
                "the tokenProvider bean gives tokens for Power BI only, and"
                        + " the Lakehouse operations need tokens for Fabric (https://api.fabric.microsoft.com) and OneLake"
                        + " (https://storage.azure.com)",
                "let the bean implement io.camelpowerbi.auth.TokenProviders as well,"
                        + " or use the built-in credentials (certificateFile and privateKeyFile, keystoreFile, federatedTokenFile"
                        + " or clientSecret)");
    }
}
